package io.netboot4j.kerrighed;

import io.netboot4j.core.spi.BuildListener;
import io.netboot4j.core.spi.KernelBuildProvider;
import io.netboot4j.core.spi.KernelImage;
import io.netboot4j.core.spi.ServiceContext;
import io.netboot4j.core.internal.AtomicFiles;
import io.netboot4j.kerrighed.internal.BzImage;
import io.netboot4j.kerrighed.internal.StepPipeline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code kbuild} kernel build: any Linux source tree, configured the guide's way
 * (drivers, NFS client, root on NFS and DHCP auto-configuration built in) and built with
 * the kernel's own make targets:
 *
 * <ol>
 * <li>{@code make-defconfig}: {@code make defconfig}</li>
 * <li>{@code apply-config-fragment}: {@code scripts/config --file .config --enable NFS_FS ...}</li>
 * <li>{@code make-olddefconfig}: {@code make olddefconfig} (resolves dependencies)</li>
 * <li>{@code check-kernel-config}: every fragment symbol as asked, else each named (before the long compile)</li>
 * <li>{@code make-bzImage}: {@code make -j<jobs> bzImage}</li>
 * <li>{@code copy-kernel}: {@code arch/x86/boot/bzImage} to {@code <bootFolder>/vmlinuz-<make -s kernelrelease>}</li>
 * </ol>
 *
 * {@snippet :
 * KernelImage image = new KbuildKernel(KbuildKernel.Settings.of(Path.of("/usr/src/linux-6.12"), Path.of("/srv/netboot")))
 *     .build((step, done, total, detail) -> System.out.println(step + ": " + detail));
 * }
 *
 * <p>Steps are stamped and resumable like {@link Kerrighed24Build}'s.
 */
public final class KbuildKernel extends SteppedKernelBuild {

    /** The build's name and provider name. */
    public static final String NAME = "kbuild";

    private final Settings settings;

    /** A build with these settings; cheap. */
    public KbuildKernel(Settings settings) {
        this.settings = settings;
    }

    /** A provider that creates this build with fixed settings, to pass to {@code ClusterBuilder.kernelBuild(..)}. */
    public static KernelBuildProvider provider(Settings settings) {
        return KernelBuildProvider.of(NAME, context -> new KbuildKernel(settings));
    }

    /** The settings. */
    public Settings settings() {
        return settings;
    }

    /**
     * Runs every step not yet done and returns the kernel copied into the boot folder.
     *
     * @throws KernelBuildException naming the failing step, with its command's output tail
     */
    @Override
    public KernelImage build(BuildListener listener) throws KernelBuildException {
        runAll(listener);
        try {
            return new KernelImage(settings.bootFolder().resolve(Files.readString(releaseFile()).strip()), Optional.empty());
        } catch (IOException e) {
            throw new KernelBuildException(NAME, "copy-kernel", "cannot read the copied kernel's name: " + e.getMessage(), null, e);
        }
    }

    private Path releaseFile() {
        return settings.stamps().resolve("kernel-file");
    }

    private CommandResult make(String... targets) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("make"));
        argv.addAll(settings.makeArguments());
        argv.addAll(List.of(targets));
        return run(argv);
    }

    private CommandResult run(List<String> argv) throws IOException, InterruptedException {
        return settings.runner().run(Command.of(argv).in(settings.treeCommandPath()).timeout(settings.stepTimeout())).orThrow();
    }

    @Override
    StepPipeline makePipeline() {
        StepPipeline p = new StepPipeline(NAME, settings.stamps());
        p.step("make-defconfig", "make defconfig", () -> {
            make("defconfig");
            return "";
        });
        p.step("apply-config-fragment", "scripts/config --file .config with the fragment", () -> {
            List<String> argv = new ArrayList<>(List.of("scripts/config", "--file", ".config"));
            argv.addAll(settings.fragment().scriptsConfigArguments());
            run(argv);
            return String.join(" ", settings.fragment().settings().keySet());
        });
        p.step("make-olddefconfig", "make olddefconfig", () -> {
            make("olddefconfig");
            return "";
        });
        p.step("check-kernel-config", "check the configuration has the fragment", () -> {
            settings.fragment().requireIn(settings.tree().resolve(".config"));
            return "";
        });
        p.step("make-bzImage", "make -j" + settings.jobs() + " bzImage", () -> {
            make("-j" + settings.jobs(), "bzImage");
            return "";
        });
        p.always("copy-kernel", "copy arch/x86/boot/bzImage into the boot folder", () -> {
            String release = make("-s", "kernelrelease").stdout().strip();
            if (release.isEmpty() || release.contains("/") || release.contains("\n")) {
                throw new IOException("make -s kernelrelease answered '" + release + "', not a release name");
            }
            Path image = settings.tree().resolve(settings.image());
            BzImage.check(image);
            String name = "vmlinuz-" + release;
            AtomicFiles.copy(image, settings.bootFolder().resolve(name));
            AtomicFiles.writeString(releaseFile(), name + "\n");
            return settings.bootFolder().resolve(name).toString();
        });
        return p;
    }

    /**
     * What a {@code kbuild} build uses.
     *
     * @param tree the Linux source tree on this host
     * @param treeCommandPath the tree as the runner sees it (the same path for the local runner)
     * @param runner runs {@code make} and {@code scripts/config}
     * @param fragment the configuration, default {@link KernelConfigFragment#nfsRoot()}
     * @param makeArguments extra {@code make} arguments such as {@code ARCH=x86_64} or {@code LLVM=1}
     * @param jobs parallel jobs for {@code make bzImage}, default the processor count
     * @param image the built image inside the tree, default {@code arch/x86/boot/bzImage}
     * @param bootFolder where the kernel is copied
     * @param stamps where finished steps are recorded
     * @param stepTimeout time limit of each command, default three hours
     */
    public record Settings(Path tree, String treeCommandPath, CommandRunner runner, KernelConfigFragment fragment,
                           List<String> makeArguments, int jobs, String image, Path bootFolder, Path stamps,
                           Duration stepTimeout) {

        /** @throws IllegalArgumentException if a part is missing or {@code jobs} is below 1 */
        public Settings {
            if (tree == null || treeCommandPath == null || runner == null || fragment == null || image == null
                    || bootFolder == null || stamps == null || stepTimeout == null) {
                throw new IllegalArgumentException("kbuild settings must not have null parts");
            }
            if (jobs < 1) {
                throw new IllegalArgumentException("make jobs " + jobs + " must be at least 1");
            }
            makeArguments = List.copyOf(makeArguments);
        }

        /**
         * Builds {@code tree} locally with {@link KernelConfigFragment#nfsRoot()}; kernel to
         * {@code <workFolder>/boot}, stamps in {@code <workFolder>/kbuild-steps}.
         */
        public static Settings of(Path tree, Path workFolder) {
            Path t = tree.toAbsolutePath().normalize();
            return new Settings(t, t.toString(), CommandRunner.local(), KernelConfigFragment.nfsRoot(), List.of(),
                    Runtime.getRuntime().availableProcessors(), "arch/x86/boot/bzImage", workFolder.resolve("boot"),
                    workFolder.resolve("kbuild-steps"), Duration.ofHours(3));
        }

        /** With another fragment (for example {@code KernelConfigFragment.nfsRoot().plus(...)}). */
        public Settings withFragment(KernelConfigFragment f) {
            return new Settings(tree, treeCommandPath, runner, f, makeArguments, jobs, image, bootFolder, stamps, stepTimeout);
        }

        /** With extra {@code make} arguments. */
        public Settings withMakeArguments(List<String> args) {
            return new Settings(tree, treeCommandPath, runner, fragment, args, jobs, image, bootFolder, stamps, stepTimeout);
        }

        /** With another number of parallel jobs. */
        public Settings withJobs(int n) {
            return new Settings(tree, treeCommandPath, runner, fragment, makeArguments, n, image, bootFolder, stamps, stepTimeout);
        }

        /** With another boot folder. */
        public Settings withBootFolder(Path folder) {
            return new Settings(tree, treeCommandPath, runner, fragment, makeArguments, jobs, image, folder, stamps, stepTimeout);
        }

        /** Run through {@code runner}, which sees the tree at {@code commandPath}. */
        public Settings withRunner(CommandRunner r, String commandPath) {
            return new Settings(tree, commandPath, r, fragment, makeArguments, jobs, image, bootFolder, stamps, stepTimeout);
        }
    }
}
