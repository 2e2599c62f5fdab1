package io.netboot4j.kerrighed.internal;

import io.netboot4j.core.internal.AtomicFiles;
import io.netboot4j.core.spi.BuildListener;
import io.netboot4j.kerrighed.CommandFailedException;
import io.netboot4j.kerrighed.KernelBuildException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Named steps run in order. A step that succeeded leaves a stamp file; a later run skips
 * it (unless it is marked to run always) so a failed build resumes where it stopped, and
 * any step can be run again by name.
 */
public final class StepPipeline {

    private static final Logger LOG = LoggerFactory.getLogger(StepPipeline.class);

    /** What a step does. */
    @FunctionalInterface
    public interface Action {
        /** Does the step; returns a short note for the listener (may be empty). */
        String run() throws Exception;
    }

    /** A named step. */
    public record Step(String name, String description, boolean always, Action action) {
    }

    private final String build;
    private final Path stamps;
    private final List<Step> steps = new ArrayList<>();

    /** @param build the build's name for messages; @param stamps the folder for stamp files */
    public StepPipeline(String build, Path stamps) {
        this.build = build;
        this.stamps = stamps;
    }

    /** Adds a step that is skipped once done. */
    public StepPipeline step(String name, String description, Action action) {
        steps.add(new Step(name, description, false, action));
        return this;
    }

    /** Adds a step that runs on every build (cheap checks and copies). */
    public StepPipeline always(String name, String description, Action action) {
        steps.add(new Step(name, description, true, action));
        return this;
    }

    /** The steps' names in order. */
    public List<String> names() {
        return steps.stream().map(Step::name).toList();
    }

    /** The steps. */
    public List<Step> steps() {
        return List.copyOf(steps);
    }

    /** Whether {@code name} has a stamp. */
    public boolean done(String name) {
        return Files.exists(stamps.resolve(name));
    }

    /** Runs every step that is not done (or runs always), in order. */
    public void runAll(BuildListener listener) throws KernelBuildException {
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            if (!s.always() && done(s.name())) {
                listener.progress(s.name(), i + 1, steps.size(), "already done");
                continue;
            }
            run(s, i, listener);
        }
    }

    /**
     * Runs one step by name, whether done or not.
     *
     * @throws IllegalArgumentException naming the steps if there is no such step
     */
    public void runStep(String name, BuildListener listener) throws KernelBuildException {
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).name().equals(name)) {
                run(steps.get(i), i, listener);
                return;
            }
        }
        throw new IllegalArgumentException(build + " has no step '" + name + "'; steps: " + String.join(", ", names()));
    }

    /** Forgets every stamp, so the next build runs every step. */
    public void reset() throws IOException {
        for (Step s : steps) {
            Files.deleteIfExists(stamps.resolve(s.name()));
        }
    }

    private void run(Step s, int index, BuildListener listener) throws KernelBuildException {
        listener.progress(s.name(), index, steps.size(), s.description());
        LOG.info("{}: step {} of {}: {} ({})", build, index + 1, steps.size(), s.name(), s.description());
        String note;
        try {
            note = s.action().run();
        } catch (KernelBuildException e) {
            throw e;
        } catch (CommandFailedException e) {
            throw new KernelBuildException(build, s.name(), e.getMessage(), e.result(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KernelBuildException(build, s.name(), "interrupted", null, e);
        } catch (Exception e) {
            throw new KernelBuildException(build, s.name(), e.getMessage() == null ? e.toString() : e.getMessage(), null, e);
        }
        try {
            Files.createDirectories(stamps);
            AtomicFiles.writeString(stamps.resolve(s.name()), Instant.now() + "\n");
        } catch (IOException e) {
            throw new KernelBuildException(build, s.name(), "cannot write its stamp in " + stamps + ": " + e.getMessage(), null, e);
        }
        listener.progress(s.name(), index + 1, steps.size(), note == null || note.isEmpty() ? "done" : note);
    }
}
