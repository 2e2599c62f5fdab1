package io.netboot4j.nfsroot.rootfs.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Guide part 1.4: {@code mount -t proc none /proc}, {@code apt-get update}, {@code apt-get
 * install} the packages the nodes need, in the chroot. {@code /proc} is unmounted afterwards
 * also when apt fails. Daemons are kept from starting by a temporary {@code policy-rc.d}.
 * Downloaded packages go to the cache folder (bind-mounted on {@code /var/cache/apt/archives}),
 * not into the tree. When every package is installed already, nothing runs.
 */
public final class PackagesStep extends Step {

    private static final String POLICY = "/usr/sbin/policy-rc.d";
    private static final String POLICY_TEXT = "#!/bin/sh\n# netboot4j: no daemon starts while packages are installed in the root\nexit 101\n";
    private static final Pattern NEWLY = Pattern.compile("(\\d+) upgraded, (\\d+) newly installed");

    /** The step. */
    public PackagesStep() {
        super("packages");
    }

    @Override
    protected String apply(StepContext c) throws Exception {
        List<String> wanted = c.setup().packages();
        List<String> missing = missing(c, wanted);
        if (missing.isEmpty()) {
            return wanted.isEmpty() ? "no packages" : "all installed";
        }
        log.info("installing {} in {}", String.join(" ", missing), c.tree().root());
        // A policy-rc.d of ours left by a run that died is ours to remove; someone else's stays.
        boolean madePolicy = !c.tree().exists(POLICY) || c.tree().read(POLICY).orElse("").equals(POLICY_TEXT);
        if (madePolicy) {
            c.tree().write(POLICY, POLICY_TEXT, 0, 0, 0755);
        }
        Optional<Path> cache = c.debootstrap().cacheFolder().map(f -> f.resolve("apt")
                .resolve(c.debootstrap().suite() + "-" + c.debootstrap().architecture()));
        // Builds sharing the cache take turns: apt locks the archives folder and fails at once when it is held.
        try (CacheLock lock = CacheLock.of(cache.map(f -> f.resolveSibling(f.getFileName() + ".lock")));
             Mounts mounts = new Mounts()) {
            mounts.proc(c.tree().resolve("/proc"));
            if (cache.isPresent()) {
                Files.createDirectories(cache.get().resolve("partial"));
                mounts.bind(cache.get(), c.tree().resolve("/var/cache/apt/archives"));
            }
            c.listener().progress(name(), 0, -1, "apt-get update");
            c.chroot("apt-get", "-q", "update").stdout(line -> log.debug("{}", line)).stderr(line -> log.info("{}", line)).runChecked();
            List<String> install = new ArrayList<>(List.of("apt-get", "-q", "-y",
                    "-o", "Dpkg::Options::=--force-confdef", "-o", "Dpkg::Options::=--force-confold"));
            if (!c.setup().installRecommends()) {
                install.add("--no-install-recommends");
            }
            install.add("install");
            install.addAll(missing);
            AtomicInteger total = new AtomicInteger(-1);
            AtomicInteger done = new AtomicInteger();
            c.chroot(install.toArray(String[]::new)).stdout(line -> {
                log.debug("{}", line);
                Matcher m = NEWLY.matcher(line);
                if (m.find()) {
                    total.set(Integer.parseInt(m.group(1)) + Integer.parseInt(m.group(2)));
                } else if (line.startsWith("Setting up ")) {
                    log.info("{}", line);
                    c.listener().progress(name(), done.incrementAndGet(), total.get(), line);
                } else if (line.startsWith("Unpacking ")) {
                    c.listener().progress(name(), done.get(), total.get(), line);
                }
            }).stderr(line -> log.info("{}", line)).runChecked();
        } finally {
            if (madePolicy) {
                c.tree().delete(POLICY);
            }
        }
        List<String> still = missing(c, wanted);
        if (!still.isEmpty()) {
            throw new IllegalStateException("apt-get finished but these packages are not installed: " + String.join(" ", still));
        }
        return "installed " + String.join(" ", missing);
    }

    @Override
    protected int total(StepContext c) {
        return c.setup().packages().size();
    }

    private static List<String> missing(StepContext c, List<String> wanted) throws Exception {
        Set<String> installed = DpkgStatus.installed(c.tree().read("/var/lib/dpkg/status").orElse(""));
        return wanted.stream().filter(p -> !installed.contains(p)).toList();
    }
}
