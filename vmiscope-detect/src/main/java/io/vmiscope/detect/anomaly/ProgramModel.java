package io.vmiscope.detect.anomaly;

/**
 * What one program's normal runs looked like: the count of every syscall sequence of length 1 to
 * {@code window} seen in its training traces (STIDE's window set is the longest of them; the Markov
 * model uses all lengths). Training is incremental — {@link #train} any number of traces, in any order — and
 * bounded: at most {@code maxGrams} distinct sequences and {@value #MAX_SYMBOLS} distinct syscalls are kept;
 * what does not fit is counted in {@link #refused()} and later scores as unseen. Not thread-safe while
 * training; read-only sharing afterwards is safe.
 *
 * <p>A sequence is one {@code long}: its length in the top bits, then {@value #SYMBOL_BITS} bits per syscall,
 * each syscall by its dense id in this program's alphabet (0 = never seen in training).
 */
public final class ProgramModel {

    /** Bits per syscall in a packed sequence. */
    static final int SYMBOL_BITS = 10;
    /** Distinct syscalls one program model holds (id 0 is reserved for "never seen"). */
    static final int MAX_SYMBOLS = (1 << SYMBOL_BITS) - 1;
    /** The longest window: six ids of {@value #SYMBOL_BITS} bits and a length tag fit one {@code long}. */
    public static final int MAX_WINDOW = 6;
    private static final int ORDER_SHIFT = 60;

    private final int window;
    private final LongIntTable alphabet;
    private final LongIntTable grams;
    private long traces;
    private long calls;

    /**
     * An empty model.
     *
     * @param window   the longest sequence kept, 1 to {@value #MAX_WINDOW}
     * @param maxGrams the most distinct sequences kept
     */
    public ProgramModel(int window, int maxGrams) {
        this(window, new LongIntTable(MAX_SYMBOLS), new LongIntTable(maxGrams));
    }

    private ProgramModel(int window, LongIntTable alphabet, LongIntTable grams) {
        if (window < 1 || window > MAX_WINDOW) {
            throw new IllegalArgumentException("window must be 1 to " + MAX_WINDOW + ", got " + window);
        }
        this.window = window;
        this.alphabet = alphabet;
        this.grams = grams;
    }

    /** Adds one normal trace (a process's syscalls in order; numbers from {@link Syscalls}). */
    public void train(int[] syscalls) {
        long history = 0;
        long windowMask = mask(window);
        for (int i = 0; i < syscalls.length; i++) {
            history = ((history << SYMBOL_BITS) | learn(syscalls[i])) & windowMask;
            int longest = Math.min(i + 1, window);
            for (int order = 1; order <= longest; order++) {
                grams.add(key(order, history & mask(order)), 1);
            }
        }
        traces++;
        calls += syscalls.length;
    }

    /** The id of a syscall in this model, 0 when training never saw it. */
    int id(int syscall) {
        return alphabet.get(syscall + 1L, 0);
    }

    /** How often the packed sequence {@code key} was seen, 0 for never. */
    int count(long key) {
        return grams.get(key, 0);
    }

    boolean contains(long key) {
        return grams.contains(key);
    }

    void forEachGram(LongIntTable.Entry each) {
        grams.forEach(each);
    }

    void forEachSymbol(LongIntTable.Entry each) {
        alphabet.forEach((key, id) -> each.accept(key - 1, id));
    }

    public int window() {
        return window;
    }

    /** Distinct syscalls seen. */
    public int symbols() {
        return alphabet.size();
    }

    /** Distinct sequences kept, all lengths. */
    public int sequences() {
        return grams.size();
    }

    public int maxSequences() {
        return grams.maxEntries();
    }

    /** Sequences and syscalls that did not fit the bounds. */
    public long refused() {
        return grams.refused() + alphabet.refused();
    }

    public long traces() {
        return traces;
    }

    public long calls() {
        return calls;
    }

    /** A packed sequence's key: its length, then its ids. */
    static long key(int order, long packedIds) {
        return ((long) order << ORDER_SHIFT) | packedIds;
    }

    /** The length of the sequence {@code key} names. */
    static int orderOf(long key) {
        return (int) (key >>> ORDER_SHIFT);
    }

    /** The packed ids of the sequence {@code key} names. */
    static long idsOf(long key) {
        return key & mask(MAX_WINDOW);
    }

    /** The low {@code order} ids of a packed history. */
    static long mask(int order) {
        return order == 0 ? 0 : (1L << (order * SYMBOL_BITS)) - 1;
    }

    /** A model restored from a file: the parts as {@link ModelFile} read them. */
    static ProgramModel restore(int window, int maxGrams, long traces, long calls) {
        ProgramModel model = new ProgramModel(window, maxGrams);
        model.traces = traces;
        model.calls = calls;
        return model;
    }

    /** Restores one alphabet entry. */
    void restoreSymbol(int syscall, int id) {
        if (id < 1 || id > MAX_SYMBOLS || !alphabet.put(syscall + 1L, id)) {
            throw new IllegalArgumentException("syscall id " + id + " out of range");
        }
    }

    /** Restores one sequence count. */
    void restoreGram(long key, int count) {
        int order = orderOf(key);
        if (order < 1 || order > window || count < 1 || !grams.put(key, count)) {
            throw new IllegalArgumentException("sequence of length " + order + " out of range");
        }
    }

    private int learn(int syscall) {
        int id = alphabet.get(syscall + 1L, 0);
        if (id == 0 && alphabet.size() < MAX_SYMBOLS) {
            id = alphabet.size() + 1;
            alphabet.put(syscall + 1L, id);
        } else if (id == 0) {
            alphabet.add(syscall + 1L, 0); // counts the refusal
        }
        return id;
    }
}
