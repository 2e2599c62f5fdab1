package io.netboot4j.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * PXELINUX from Debian: {@code pxelinux.0} (package {@code pxelinux}) and the
 * {@code ldlinux.c32} it loads next (package {@code syslinux-common}).
 *
 * @param pxelinux0 the boot loader the PXE ROM fetches first
 * @param ldlinux the library module {@code pxelinux.0} loads from the same folder
 */
public record Pxelinux(Path pxelinux0, Path ldlinux) {

    private static final List<Path> PXELINUX = List.of(Path.of("/usr/lib/PXELINUX/pxelinux.0"), Path.of("/usr/share/syslinux/pxelinux.0"));
    private static final List<Path> LDLINUX = List.of(Path.of("/usr/lib/syslinux/modules/bios/ldlinux.c32"),
            Path.of("/usr/share/syslinux/ldlinux.c32"));

    /** Debian's files, if both are installed. */
    public static Optional<Pxelinux> find() {
        Optional<Path> p = PXELINUX.stream().filter(Files::isReadable).findFirst();
        Optional<Path> l = LDLINUX.stream().filter(Files::isReadable).findFirst();
        return p.isPresent() && l.isPresent() ? Optional.of(new Pxelinux(p.get(), l.get())) : Optional.empty();
    }

    /**
     * Debian's files.
     *
     * @throws IllegalStateException naming the Debian packages to install, if one is missing
     */
    public static Pxelinux require() {
        return find().orElseThrow(() -> new IllegalStateException(unavailableReason()));
    }

    /** Why {@link #find()} is empty, naming the Debian packages; empty if both files are there. */
    public static String unavailableReason() {
        if (PXELINUX.stream().noneMatch(Files::isReadable)) {
            return "no pxelinux.0: install the Debian package pxelinux";
        }
        if (LDLINUX.stream().noneMatch(Files::isReadable)) {
            return "no ldlinux.c32: install the Debian package syslinux-common";
        }
        return "";
    }
}
