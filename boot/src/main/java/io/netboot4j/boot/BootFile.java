package io.netboot4j.boot;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** One file of a {@link PxeBootTree}: a file on the head node, or text generated from the cluster. */
public sealed interface BootFile {

    /** The name clients ask for, relative to the TFTP root, for example {@code pxelinux.cfg/default}. */
    String name();

    /**
     * A file served from the head node's disk.
     *
     * @param name its name in the tree
     * @param path where it is on the head
     * @param origin where it comes from, for messages (for example {@code Debian package pxelinux})
     */
    record OnDisk(String name, Path path, String origin) implements BootFile {
    }

    /**
     * A generated text file, served from memory.
     *
     * @param name its name in the tree
     * @param text its content
     */
    record Generated(String name, String text) implements BootFile {

        /** The content as bytes (UTF-8; the renderers produce ASCII). */
        public byte[] bytes() {
            return text.getBytes(StandardCharsets.UTF_8);
        }
    }
}
