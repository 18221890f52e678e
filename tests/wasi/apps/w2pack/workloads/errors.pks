# Failures and their statuses: missing and malformed archives, bad
# options, damaged headers, index and data, truncation.
gen in 9 128
c a.w2p in
!1 t missing.w2p
!3 t in/noise.bin
!3 t in/empty.txt
!2 c -l 11 x.w2p in
!2 c -b 0 x.w2p in
!2 frobnicate
!2 t
!1 p a.w2p nope
!1 c b.w2p no-such-dir
copy a.w2p bad1.w2p
damage bad1.w2p 1000
!3 v bad1.w2p
!3 x bad1.w2p outbad
copy a.w2p bad2.w2p
damage bad2.w2p 10
!3 t bad2.w2p
copy a.w2p bad3.w2p
cut bad3.w2p 5000
!3 t bad3.w2p
copy a.w2p bad4.w2p
damage bad4.w2p 40
!3 v bad4.w2p
v a.w2p
echo done
