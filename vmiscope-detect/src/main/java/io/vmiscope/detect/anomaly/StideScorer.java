package io.vmiscope.detect.anomaly;

/**
 * STIDE: a call scores 1 when the window of calls ending with it was never seen in training, else 0. The first
 * calls of a trace are judged on the shorter window they have, so an unusual start counts too.
 */
final class StideScorer implements ProgramScorer {

    private final ProgramModel model;

    StideScorer(ProgramModel model) {
        this.model = model;
    }

    @Override
    public CallScorer start() {
        return new CallScorer() {
            private final int window = model.window();
            private final long windowMask = ProgramModel.mask(window);
            private long history;
            private int seen;

            @Override
            public double next(int syscall) {
                history = ((history << ProgramModel.SYMBOL_BITS) | model.id(syscall)) & windowMask;
                if (seen < window) {
                    seen++;
                }
                return model.contains(ProgramModel.key(seen, history & ProgramModel.mask(seen))) ? 0 : 1;
            }
        };
    }
}
