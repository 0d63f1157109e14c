package io.wasmudf.engine.spectest;

/** The host value the spec scripts call {@code ref.extern N}; equal (and interned) per N. */
record ExternRef(long id) {
    @Override
    public String toString() {
        return "ref.extern " + id;
    }
}
