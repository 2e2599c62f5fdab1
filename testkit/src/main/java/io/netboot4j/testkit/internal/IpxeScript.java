package io.netboot4j.testkit.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What an iPXE script tells one machine to boot: follows {@code iseq ${mac} <mac> && goto
 * <label>} lines to the machine's own section (or {@code goto default}), and reads its
 * {@code kernel <file> <arguments>} and {@code initrd <file>} lines. Only the commands
 * netboot4j's and the peer stacks' scripts use are understood.
 *
 * @param kernel the kernel's file name
 * @param arguments the kernel's command line
 * @param initrd the initrd's file name, if any
 * @param ownSection whether the machine's own section (matched by its MAC) was used
 */
public record IpxeScript(String kernel, List<String> arguments, Optional<String> initrd, boolean ownSection) {

    /**
     * Reads the section for {@code mac} (lower-case, colon-separated as iPXE prints
     * {@code ${mac}}).
     *
     * @throws IllegalArgumentException if the script is not an iPXE script or has no kernel for it
     */
    public static IpxeScript parse(String script, String mac) {
        List<String> lines = script.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        if (lines.isEmpty() || !script.startsWith("#!ipxe")) {
            throw new IllegalArgumentException("not an iPXE script (no #!ipxe line)");
        }
        String label = null;
        boolean own = false;
        int i = 0;
        for (; i < lines.size(); i++) {
            String[] f = lines.get(i).split("\\s+");
            if (f.length >= 6 && f[0].equals("iseq") && f[1].equals("${mac}") && f[2].equalsIgnoreCase(mac) && f[4].equals("goto")) {
                label = f[5];
                own = true;
                break;
            }
            if (f.length == 2 && f[0].equals("goto")) {
                label = f[1];
                break;
            }
            if (f[0].equals("kernel")) {
                break;
            }
        }
        int from = label == null ? i : lines.indexOf(":" + label);
        if (from < 0) {
            throw new IllegalArgumentException("the script has no label :" + label);
        }
        String kernel = null;
        List<String> args = new ArrayList<>();
        String initrd = null;
        for (int j = from; j < lines.size(); j++) {
            String[] f = lines.get(j).split("\\s+");
            if (f[0].equals("boot") || (j > from && f[0].startsWith(":"))) {
                break;
            }
            if (f[0].equals("kernel") && f.length >= 2) {
                kernel = f[1];
                args = List.of(f).subList(2, f.length);
            } else if (f[0].equals("initrd") && f.length >= 2) {
                initrd = f[1];
            }
        }
        if (kernel == null) {
            throw new IllegalArgumentException("the script has no kernel line for " + mac);
        }
        return new IpxeScript(kernel, List.copyOf(args), Optional.ofNullable(initrd), own);
    }

    /** The value of kernel argument {@code name=} (the first), if present. */
    public Optional<String> argument(String name) {
        return arguments.stream().filter(a -> a.startsWith(name + "=")).map(a -> a.substring(name.length() + 1)).findFirst();
    }
}
