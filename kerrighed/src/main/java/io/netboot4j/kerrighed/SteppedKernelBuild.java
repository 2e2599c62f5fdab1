package io.netboot4j.kerrighed;

import io.netboot4j.core.spi.BuildListener;
import io.netboot4j.core.spi.KernelBuild;
import io.netboot4j.kerrighed.internal.StepPipeline;
import java.io.IOException;
import java.util.List;

/**
 * A kernel build made of named, stamped steps ({@link KbuildKernel}, {@link Kerrighed24Build}):
 * a step that finished is stamped in the build's stamp folder and skipped by the next
 * {@link #build}, so a failed build resumes where it stopped; one step can be run again alone.
 */
public abstract sealed class SteppedKernelBuild implements KernelBuild permits KbuildKernel, Kerrighed24Build {

    private StepPipeline pipeline;

    SteppedKernelBuild() {
    }

    /** The build's steps, made by the build from its settings. */
    abstract StepPipeline makePipeline();

    private synchronized StepPipeline pipeline() {
        if (pipeline == null) {
            pipeline = makePipeline();
        }
        return pipeline;
    }

    /** The steps' names, in order. */
    public List<String> steps() {
        return pipeline().names();
    }

    /** Whether step {@code name} has run successfully since the last {@link #reset()}. */
    public boolean done(String name) {
        return pipeline().done(name);
    }

    /**
     * Runs one step again, whether done or not.
     *
     * @throws IllegalArgumentException listing the steps if there is none named so
     * @throws KernelBuildException naming the step, with its command's output tail
     */
    public void runStep(String name, BuildListener listener) throws KernelBuildException {
        pipeline().runStep(name, listener);
    }

    /** Forgets which steps are done. */
    public void reset() throws IOException {
        pipeline().reset();
    }

    /** Runs every step not yet done. */
    void runAll(BuildListener listener) throws KernelBuildException {
        pipeline().runAll(listener);
    }
}
