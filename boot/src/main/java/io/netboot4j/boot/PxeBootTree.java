package io.netboot4j.boot;

import io.netboot4j.core.Cluster;
import io.netboot4j.boot.internal.DebianLoaders;
import io.netboot4j.core.Node;
import io.netboot4j.core.NodeGroup;
import io.netboot4j.core.BootProfile;
import io.netboot4j.core.UefiChain;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Every file a node fetches over TFTP or HTTP to boot, derived from a {@link Cluster}: the guide's
 * {@code /var/lib/tftpboot}. Both the tftp and the http modules serve it; it lives in this
 * small module so both can read it while every dependency still points into core.
 *
 * <ul>
 *   <li>{@code pxelinux.0} and {@code ldlinux.c32}, from Debian's {@code pxelinux} and
 *       {@code syslinux-common} packages unless other paths are given (netboot4j does not
 *       ship them);</li>
 *   <li>the UEFI loaders of every {@link UefiChain} the cluster's nodes run, from Debian's
 *       packages ({@code ipxe}, {@code syslinux-efi}, {@code grub-efi-amd64-signed},
 *       {@code shim-signed}), the chain's loader under its DHCP name
 *       ({@link io.netboot4j.core.BootProfile#uefiBootFile(UefiChain, boolean)}) and what it
 *       loads beside it; arm64 ones when installed;</li>
 *   <li>the kernel and the initrd under their file names;</li>
 *   <li>{@code pxelinux.cfg/default} and one {@code pxelinux.cfg/01-<mac>} per node
 *       ({@link PxeConfig}), beside {@code pxelinux.0} and beside {@code syslinux.efi};</li>
 *   <li>for GRUB chains, {@code grub/grub.cfg} and one {@code grub/grub.cfg-01-<mac>} per node
 *       ({@link GrubConfig});</li>
 *   <li>the iPXE script under {@link io.netboot4j.core.BootProfile#ipxeBootFile()}, unless
 *       that is a URL.</li>
 * </ul>
 *
 * Generated files live in memory: the embedded servers serve the tree (by {@link #file(String)})
 * without writing anything; {@link #writeTo(Path)} lays it out in a folder for a TFTP daemon.
 *
 * {@snippet :
 * PxeBootTree tree = PxeBootTree.of(cluster);
 * for (BootFile f : tree.files()) {
 *     if (f instanceof BootFile.Generated g) {
 *         System.out.println("== " + g.name() + "\n" + g.text());
 *     }
 * }
 * }
 */
public final class PxeBootTree {

    /** Where Debian's {@code pxelinux} package puts the BIOS PXE loader. */
    public static final Path DEBIAN_PXELINUX = Path.of("/usr/lib/PXELINUX/pxelinux.0");
    /** Where Debian's {@code syslinux-common} package puts the module pxelinux 6 loads first. */
    public static final Path DEBIAN_LDLINUX = Path.of("/usr/lib/syslinux/modules/bios/ldlinux.c32");

    private final Cluster cluster;
    private final Map<String, BootFile> files;

    private PxeBootTree(Cluster cluster, Map<String, BootFile> files) {
        this.cluster = cluster;
        this.files = files;
    }

    /** The tree of {@code cluster} with Debian's loaders. */
    public static PxeBootTree of(Cluster cluster) {
        return builder(cluster).build();
    }

    /** Starts describing the tree of {@code cluster}, to choose loader paths. */
    public static Builder builder(Cluster cluster) {
        return new Builder(Objects.requireNonNull(cluster, "cluster"));
    }

    /** The cluster the tree was made from. */
    public Cluster cluster() {
        return cluster;
    }

    /** Every file, in a stable order: loaders, kernel, initrd, pxelinux configurations, iPXE script. */
    public List<BootFile> files() {
        return List.copyOf(files.values());
    }

    /** The file by that name, if the tree has it. */
    public Optional<BootFile> file(String name) {
        return Optional.ofNullable(files.get(name));
    }

    /**
     * The generated text of {@code name}.
     *
     * @throws IllegalArgumentException if it is not a generated file of the tree
     */
    public String text(String name) {
        if (files.get(name) instanceof BootFile.Generated g) {
            return g.text();
        }
        throw new IllegalArgumentException("'" + name + "' is not a generated file of the boot tree; generated: "
                + files.values().stream().filter(f -> f instanceof BootFile.Generated).map(BootFile::name).toList());
    }

    /** Files on disk that do not exist (or cannot be read), each with where it should come from. */
    public List<String> missing() {
        List<String> out = new ArrayList<>();
        for (BootFile f : files.values()) {
            if (f instanceof BootFile.OnDisk d && !Files.isReadable(d.path())) {
                out.add(d.name() + " (" + d.path() + ", " + d.origin() + ")");
            }
        }
        return out;
    }

    /**
     * Writes the tree into {@code folder} (created if needed): each file through a temporary
     * file moved into place atomically, readable by everyone (a daemon such as tftpd-hpa
     * reads it as user {@code tftp} or {@code nobody}). Files of the folder that are not in
     * the tree are left alone.
     *
     * @throws IOException naming a file on disk that is missing and where it should come from
     */
    public void writeTo(Path folder) throws IOException {
        List<String> missing = missing();
        if (!missing.isEmpty()) {
            throw new IOException("cannot lay out the boot tree in " + folder + ": missing " + String.join("; ", missing));
        }
        Files.createDirectories(folder);
        readable(folder, true);
        for (BootFile f : files.values()) {
            Path target = folder.resolve(f.name());
            Files.createDirectories(target.getParent());
            readable(target.getParent(), true);
            Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
            try {
                switch (f) {
                    case BootFile.Generated g -> Files.write(temp, g.bytes());
                    case BootFile.OnDisk d -> Files.copy(d.path(), temp, StandardCopyOption.REPLACE_EXISTING);
                }
                readable(temp, false);
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    throw new FileSystemException(target.toString(), null, "cannot be replaced atomically: " + e.getMessage());
                }
            } finally {
                Files.deleteIfExists(temp);
            }
        }
    }

    private static void readable(Path p, boolean folder) throws IOException {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(folder ? "rwxr-xr-x" : "rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its defaults apply
        }
    }

    /** Describes a {@link PxeBootTree}; defaults to Debian's loader paths and an iPXE script. */
    public static final class Builder {
        private final Cluster cluster;
        private Path pxelinux;
        private Path ldlinux;
        private Path uefiLoader;
        private final List<Path> uefiModules = new ArrayList<>();
        private boolean ipxe = true;
        private String httpBase = "";
        private final Map<String, Path> extra = new LinkedHashMap<>();

        private Builder(Cluster cluster) {
            this.cluster = cluster;
        }

        /** The path of {@code pxelinux.0}; default {@link PxeBootTree#DEBIAN_PXELINUX}. */
        public Builder pxelinux(Path path) {
            this.pxelinux = Objects.requireNonNull(path, "path");
            return this;
        }

        /** The path of {@code ldlinux.c32}; default {@link PxeBootTree#DEBIAN_LDLINUX}. */
        public Builder ldlinux(Path path) {
            this.ldlinux = Objects.requireNonNull(path, "path");
            return this;
        }

        /**
         * The loader of the cluster's own {@link io.netboot4j.core.UefiChain}, served under the
         * profile's {@code uefiBootFile} name instead of Debian's (for example a SYSLINUX of
         * your own build with its {@code ldlinux.e64}); by default the chain's Debian loader.
         * The other files of the chain (shim's {@code grubx64.efi}, ...) stay Debian's.
         *
         * @param loader the loader
         * @param modules files it loads from the same folder, served under their file names
         */
        public Builder uefiLoader(Path loader, Path... modules) {
            this.uefiLoader = Objects.requireNonNull(loader, "loader");
            this.uefiModules.clear();
            this.uefiModules.addAll(List.of(modules));
            return this;
        }

        /** Whether to generate the iPXE script; default {@code true} (skipped when the profile names a URL). */
        public Builder ipxeScript(boolean generate) {
            this.ipxe = generate;
            return this;
        }

        /**
         * Makes the iPXE script load kernel and initrd from {@code base} (see
         * {@link PxeConfig#ipxeScript(Cluster, String)}); default none: names relative to the script.
         *
         * @param base an {@code http://} or {@code https://} URL ending with {@code /}, for example
         *        {@link PxeConfig#httpBase(Cluster)}
         * @throws IllegalArgumentException if it is not such a URL
         */
        public Builder httpBase(String base) {
            if (base == null || !(base.startsWith("http://") || base.startsWith("https://")) || !base.endsWith("/")
                    || base.chars().anyMatch(c -> c <= ' ' || c >= 0x7F)) {
                throw new IllegalArgumentException("HTTP base '" + base + "' must be an http:// or https:// URL ending with '/'");
            }
            this.httpBase = base;
            return this;
        }

        /**
         * Serves one more file from disk.
         *
         * @param name its relative name in the tree, for example {@code memtest86+.bin}
         * @throws IllegalArgumentException if the name is absolute or contains {@code ..}
         */
        public Builder file(String name, Path path) {
            Objects.requireNonNull(path, "path");
            if (name == null || name.isBlank() || name.startsWith("/") || List.of(name.split("/")).contains("..")) {
                throw new IllegalArgumentException("boot tree file name '" + name + "' must be relative, without '..'");
            }
            extra.put(name, path);
            return this;
        }

        /** Builds the tree; nothing is read from disk. */
        public PxeBootTree build() {
            var boot = cluster.boot();
            Map<String, BootFile> out = new LinkedHashMap<>();
            put(out, new BootFile.OnDisk(boot.biosBootFile(), pxelinux != null ? pxelinux : DEBIAN_PXELINUX,
                    pxelinux != null ? "given path" : "Debian package pxelinux"));
            Path ld = ldlinux != null ? ldlinux : DEBIAN_LDLINUX;
            put(out, new BootFile.OnDisk(DebianLoaders.sibling(boot.biosBootFile(), "ldlinux.c32"), ld,
                    ldlinux != null ? "given path" : "Debian package syslinux-common"));
            Set<UefiChain> chains = cluster.uefiChains();
            for (UefiChain chain : chains) {
                String loader = boot.uefiBootFile(chain, false).orElseThrow();
                boolean own = chain == boot.uefiChain();
                DebianLoaders.x86(chain, loader, own ? uefiLoader : null).forEach(f -> put(out, f));
                if (own) {
                    for (Path m : uefiModules) {
                        put(out, new BootFile.OnDisk(DebianLoaders.sibling(loader, m.getFileName().toString()), m, "given path"));
                    }
                }
                DebianLoaders.arm64(chain).forEach(f -> put(out, f));
            }
            put(out, new BootFile.OnDisk(boot.kernelFileName(), boot.kernel(), "the cluster's kernel"));
            boot.initrd().ifPresent(i -> put(out, new BootFile.OnDisk(boot.initrdFileName().get(), i, "the cluster's initrd")));
            for (NodeGroup g : cluster.groups()) {
                BootProfile p = g.boot();
                put(out, new BootFile.OnDisk(g.folder() + p.kernelFileName(), p.kernel(), "the kernel of group " + g.name()));
                p.initrd().ifPresent(i -> put(out, new BootFile.OnDisk(g.folder() + p.initrdFileName().get(), i,
                        "the initrd of group " + g.name())));
            }
            // pxelinux.0 and syslinux.efi each read pxelinux.cfg/ from their own folder
            Set<String> prefixes = new LinkedHashSet<>();
            prefixes.add(DebianLoaders.sibling(boot.biosBootFile(), ""));
            if (chains.contains(UefiChain.SYSLINUX)) {
                prefixes.add(DebianLoaders.sibling(boot.uefiBootFile(UefiChain.SYSLINUX, false).orElseThrow(), ""));
            }
            for (String prefix : prefixes) {
                put(out, new BootFile.Generated(prefix + "pxelinux.cfg/default", PxeConfig.pxelinuxDefault(cluster)));
                for (Node n : cluster.nodes()) {
                    put(out, new BootFile.Generated(prefix + PxeConfig.pxelinuxNodeFileName(n), PxeConfig.pxelinuxNode(cluster, n)));
                }
            }
            if (chains.contains(UefiChain.GRUB) || chains.contains(UefiChain.SHIM_GRUB)) {
                put(out, new BootFile.Generated(GrubConfig.MAIN, GrubConfig.main(cluster)));
                for (Node n : cluster.nodes()) {
                    String text = GrubConfig.node(cluster, n);
                    put(out, new BootFile.Generated(GrubConfig.nodeFileName(n), text));
                    put(out, new BootFile.Generated(GrubConfig.nodeAddressFileName(n), text));
                }
            }
            if (ipxe && !boot.ipxeBootFile().contains("://")) {
                put(out, new BootFile.Generated(boot.ipxeBootFile(), PxeConfig.ipxeScript(cluster, httpBase)));
            }
            extra.forEach((name, path) -> put(out, new BootFile.OnDisk(name, path, "given path")));
            return new PxeBootTree(cluster, java.util.Collections.unmodifiableMap(out));
        }

        private static void put(Map<String, BootFile> out, BootFile f) {
            out.put(f.name(), f); // a later file of the same name wins (a given file over a default)
        }
    }
}
