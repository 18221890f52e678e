/* divide.c — the C source of the -g tests (debug_test.sh): line numbers
 * below are what the tests expect, keep them. */
static int divide(int a, int b) {
    int quotient = a / b; /* line 4: traps when b is 0 */
    return quotient;
}

__attribute__((noinline)) int compute(int n) {
    int total = 0;
    for (int i = 0; i < n; i++)
        total += i * 3; /* line 11: the breakpoint */
    return total + divide(total, n - 5);
}
