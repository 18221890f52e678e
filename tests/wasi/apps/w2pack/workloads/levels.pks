# Every kind of block at several levels and block sizes, plus the program's
# own sources (copied into src/ by the test), whose level comes from
# W2PACK_LEVEL in the environment.
gen in 5 512
c -l0 a0.w2p in
c -l1 a1.w2p in
c -l4 -b 16 a4.w2p in
c -l9 -b 1024 a9.w2p in
c -v s.w2p $SRC
t a0.w2p
t a1.w2p
t a4.w2p
t a9.w2p
t s.w2p
x a0.w2p out0
same in out0
x a4.w2p out4
same in out4
x a9.w2p out9
same in out9
x s.w2p src-out
same $SRC src-out
v a1.w2p
