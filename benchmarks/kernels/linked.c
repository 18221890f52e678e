/* linked.c: pointer-linked structures over a bump allocator (memory-bound
 * kernel: dependent loads).  One unit of work resets the arena, builds an
 * unbalanced binary search tree of random keys and a singly linked list
 * threaded through the nodes in insertion order, then searches the tree
 * and walks the list. */
#include "kernel.h"

#define NODES 16384
#define ARENA_BYTES (NODES * 32)

struct node {
    uint32_t key;
    uint32_t count;
    struct node *left, *right, *next;
};

static _Alignas(16) uint8_t arena[ARENA_BYTES];
static size_t arena_top;

static void *bump_alloc(size_t size) {
    size = (size + 15) & ~(size_t)15;
    if (arena_top + size > sizeof arena)
        return 0;
    void *p = &arena[arena_top];
    arena_top += size;
    return p;
}

static struct node *insert(struct node **root, uint32_t key, struct node **tail) {
    struct node **link = root;
    while (*link) {
        if (key == (*link)->key) {
            (*link)->count++;
            return *link;
        }
        link = key < (*link)->key ? &(*link)->left : &(*link)->right;
    }
    struct node *nd = bump_alloc(sizeof *nd);
    if (!nd)
        return 0;
    nd->key = key;
    nd->count = 1;
    nd->left = nd->right = nd->next = 0;
    (*tail)->next = nd;
    *tail = nd;
    *link = nd;
    return nd;
}

static uint32_t depth_of(const struct node *root, uint32_t key) {
    uint32_t d = 0;
    while (root && root->key != key) {
        root = key < root->key ? root->left : root->right;
        d++;
    }
    return root ? d : 0;
}

KERNEL_RUN {
    uint32_t h = 0, s = 0xBADC0DEu;
    for (uint32_t r = 0; r < n; r++) {
        struct node head = {0}, *tail = &head, *root = 0;
        arena_top = 0;
        uint32_t first = s;
        for (int i = 0; i < NODES - 16; i++)
            if (!insert(&root, kxorshift(&s) % 1000000u, &tail))
                return 0xdead;
        uint32_t depths = 0;
        for (int i = 0; i < NODES / 2; i++)
            depths += depth_of(root, kxorshift(&first) % 1000000u);
        uint32_t walk = 0;
        for (struct node *p = head.next; p; p = p->next)
            walk = walk * 31 + p->key + p->count;
        h = kmix(kmix(h, depths), walk);
    }
    return h;
}
