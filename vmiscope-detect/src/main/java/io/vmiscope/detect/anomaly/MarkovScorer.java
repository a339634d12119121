package io.vmiscope.detect.anomaly;

/**
 * A variable-order Markov model with Witten-Bell smoothing (Witten &amp; Bell 1991; as in Chen &amp; Goodman
 * 1998): the probability of a call after context {@code h} interpolates the counts after {@code h} with the
 * probability after {@code h} shortened by one, weighted by how many different calls followed {@code h}, down
 * to a uniform guess over the alphabet and "never seen". A call scores its surprisal, {@code -log2 P}, in bits.
 *
 * <p>The surprisal of every sequence seen in training is computed once, here, so scoring a normal call costs
 * one table lookup; an unseen sequence costs a walk over its contexts.
 */
final class MarkovScorer implements ProgramScorer {

    private static final int MISSING = Integer.MIN_VALUE;

    private final ProgramModel model;
    /** Per context (a packed key of its length and ids): how often it was followed by any call. */
    private final LongIntTable contextCounts;
    /** Per context: how many different calls followed it. */
    private final LongIntTable contextTypes;
    /** Per sequence seen: the surprisal of its last call after the rest, as float bits. */
    private final LongIntTable surprisal;
    private final double uniform;
    private long unigramTotal;
    private int unigramTypes;

    MarkovScorer(ProgramModel model) {
        this.model = model;
        int room = Math.max(1, model.sequences());
        contextCounts = new LongIntTable(room);
        contextTypes = new LongIntTable(room);
        surprisal = new LongIntTable(room);
        uniform = 1.0 / (model.symbols() + 1);
        model.forEachGram((key, count) -> {
            int order = ProgramModel.orderOf(key);
            if (order == 1) {
                unigramTotal += count;
                unigramTypes++;
            } else {
                long context = ProgramModel.key(order - 1, ProgramModel.idsOf(key) >>> ProgramModel.SYMBOL_BITS);
                contextCounts.add(context, count);
                contextTypes.add(context, 1);
            }
        });
        model.forEachGram((key, count) -> {
            int order = ProgramModel.orderOf(key);
            long ids = ProgramModel.idsOf(key);
            float bits = (float) compute(ids >>> ProgramModel.SYMBOL_BITS, order - 1,
                    (int) (ids & ProgramModel.mask(1)));
            surprisal.put(key, Float.floatToIntBits(bits));
        });
    }

    @Override
    public CallScorer start() {
        return new CallScorer() {
            private final int contextLength = model.window() - 1;
            private final long contextMask = ProgramModel.mask(contextLength);
            private long history;
            private int seen;

            @Override
            public double next(int syscall) {
                int id = model.id(syscall);
                int length = Math.min(seen, contextLength);
                long context = history & ProgramModel.mask(length);
                int cached = surprisal.get(ProgramModel.key(length + 1, (context << ProgramModel.SYMBOL_BITS) | id),
                        MISSING);
                double bits = cached != MISSING ? Float.intBitsToFloat(cached) : compute(context, length, id);
                history = ((history << ProgramModel.SYMBOL_BITS) | id) & contextMask;
                if (seen < contextLength) {
                    seen++;
                }
                return bits;
            }
        };
    }

    /** The surprisal of call {@code id} after the {@code length} calls packed in {@code context}. */
    private double compute(long context, int length, int id) {
        double p = uniform;
        if (unigramTotal > 0) {
            p = (model.count(ProgramModel.key(1, id)) + unigramTypes * p) / (unigramTotal + unigramTypes);
        }
        for (int j = 1; j <= length; j++) {
            long ctx = context & ProgramModel.mask(j);
            long ctxKey = ProgramModel.key(j, ctx);
            int total = contextCounts.get(ctxKey, 0);
            if (total == 0) {
                break; // a longer context containing an unseen one is unseen too
            }
            int types = contextTypes.get(ctxKey, 0);
            int count = model.count(ProgramModel.key(j + 1, (ctx << ProgramModel.SYMBOL_BITS) | id));
            p = (count + (double) types * p) / ((double) total + types);
        }
        return -Math.log(p) / Math.log(2);
    }
}
