// cxx_throw.cpp — C++ exceptions through 20 frames, built by clang-19
// -fwasm-exceptions (LLVM 19 lowers them to the legacy instructions) with
// cxx_eh_runtime.cpp as its runtime.  Frames on the way have destructors to
// run (cleanups: catch_all and rethrow), handlers for another type, or
// nothing.  run_eh_program.sh calls the exports (cxx_throw.expected);
// Node 20 returns the same.

struct Err {
    int code;
};
struct Other {
    double x;
};

static int destroyed;   // how many Guards the exception's path destroyed

struct Guard {
    ~Guard() { destroyed++; }
};

__attribute__((noinline)) static int descend(int n, int code) {
    if (n == 0) {
        if (code < 0)
            throw Other{2.5};
        throw Err{code};
    }
    switch (n % 3) {
    case 0: {           // a destructor to run on the way
        Guard g;
        return descend(n - 1, code) + 1;
    }
    case 1:             // a handler for another type
        try {
            return descend(n - 1, code) + 1;
        } catch (const Other &) {
            return -1000;
        }
    default:            // nothing
        return descend(n - 1, code) + 1;
    }
}

// The Err's code + 1000 * the Guards destroyed; -1 if it returned.
extern "C" __attribute__((export_name("catch_err"))) int catch_err(int n, int code) {
    destroyed = 0;
    try {
        descend(n, code);
        return -1;
    } catch (const Err &e) {
        return e.code + 1000 * destroyed;
    }
}

// An Other thrown at the bottom: the innermost handler for it takes it.
extern "C" __attribute__((export_name("catch_other"))) int catch_other(int n) {
    destroyed = 0;
    try {
        return descend(n, -1);
    } catch (...) {
        return -2;
    }
}

// Many throws in a row: the runtime's 32 exception slots are reused.
extern "C" __attribute__((export_name("many"))) int many(int rounds) {
    int sum = 0;
    for (int i = 0; i < rounds; i++) {
        try {
            descend(5, i & 0xff);
        } catch (const Err &e) {
            sum += e.code;
        }
    }
    return sum;
}
