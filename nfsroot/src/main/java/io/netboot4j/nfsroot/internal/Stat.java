package io.netboot4j.nfsroot.internal;

/**
 * What {@code lstat(2)} says of one file: the parts NFSv3's {@code fattr3} carries.
 *
 * @param dev device of the file system holding the file
 * @param ino inode number (NFS fileid)
 * @param mode file type and permission bits as {@code st_mode}
 * @param nlink hard links
 * @param uid owner
 * @param gid group
 * @param rdev device number of a device node
 * @param size bytes
 * @param blocks 512-byte blocks used
 * @param atimeNanos last access, nanoseconds since the epoch
 * @param mtimeNanos last modification
 * @param ctimeNanos last status change
 * @param btimeNanos birth (creation), 0 where the file system does not record it: with the
 *     inode number, what tells a file from a later one that reuses its number (file handles
 *     carry it as their generation)
 */
public record Stat(long dev, long ino, int mode, long nlink, int uid, int gid, long rdev, long size, long blocks,
                   long atimeNanos, long mtimeNanos, long ctimeNanos, long btimeNanos) {

    public static final int S_IFMT = 0170000;
    public static final int S_IFSOCK = 0140000;
    public static final int S_IFLNK = 0120000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFBLK = 0060000;
    public static final int S_IFDIR = 0040000;
    public static final int S_IFCHR = 0020000;
    public static final int S_IFIFO = 0010000;

    /** The file type bits. */
    public int type() {
        return mode & S_IFMT;
    }

    /** Permission bits including setuid, setgid and sticky. */
    public int permissions() {
        return mode & 07777;
    }

    public boolean isDirectory() {
        return type() == S_IFDIR;
    }

    public boolean isRegular() {
        return type() == S_IFREG;
    }

    public boolean isSymlink() {
        return type() == S_IFLNK;
    }
}
