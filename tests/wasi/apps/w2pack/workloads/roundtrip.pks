# Round trip of a generated tree (about 1 MiB) at the default level:
# create, list, extract, compare, verify, print one member.
gen in 42 1024
c -v a.w2p in
t a.w2p
x -v a.w2p out
same in out
v a.w2p
p a.w2p docs/notes/short.txt
