#!/usr/bin/env python3
"""Writes compiler/opcodes.h from the opcode list of the Wasm 2.0 spec.

Run from the repository root: python3 scripts/gen_opcodes.py
The names follow one rule: W2N_OP_ + the mnemonic upper-cased, '.' -> '_'.
The immediate kinds tell instr.c what follows the opcode.
"""

PLAIN = [
    (0x00, "unreachable", "none"), (0x01, "nop", "none"), (0x02, "block", "block"),
    (0x03, "loop", "block"), (0x04, "if", "block"), (0x05, "else", "none"),
    (0x0B, "end", "none"), (0x0C, "br", "label"), (0x0D, "br_if", "label"),
    (0x0E, "br_table", "br_table"), (0x0F, "return", "none"), (0x10, "call", "func"),
    (0x11, "call_indirect", "call_indirect"), (0x1A, "drop", "none"), (0x1B, "select", "none"),
    (0x1C, "select_t", "select_t"), (0x20, "local.get", "local"), (0x21, "local.set", "local"),
    (0x22, "local.tee", "local"), (0x23, "global.get", "global"), (0x24, "global.set", "global"),
    (0x25, "table.get", "table"), (0x26, "table.set", "table"),
]
loads = ["i32.load", "i64.load", "f32.load", "f64.load", "i32.load8_s", "i32.load8_u",
         "i32.load16_s", "i32.load16_u", "i64.load8_s", "i64.load8_u", "i64.load16_s",
         "i64.load16_u", "i64.load32_s", "i64.load32_u", "i32.store", "i64.store", "f32.store",
         "f64.store", "i32.store8", "i32.store16", "i64.store8", "i64.store16", "i64.store32"]
PLAIN += [(0x28 + i, n, "memarg") for i, n in enumerate(loads)]
PLAIN += [(0x3F, "memory.size", "memidx"), (0x40, "memory.grow", "memidx"),
          (0x41, "i32.const", "i32"), (0x42, "i64.const", "i64"), (0x43, "f32.const", "f32"),
          (0x44, "f64.const", "f64")]
numeric = """i32.eqz i32.eq i32.ne i32.lt_s i32.lt_u i32.gt_s i32.gt_u i32.le_s i32.le_u i32.ge_s i32.ge_u
i64.eqz i64.eq i64.ne i64.lt_s i64.lt_u i64.gt_s i64.gt_u i64.le_s i64.le_u i64.ge_s i64.ge_u
f32.eq f32.ne f32.lt f32.gt f32.le f32.ge
f64.eq f64.ne f64.lt f64.gt f64.le f64.ge
i32.clz i32.ctz i32.popcnt i32.add i32.sub i32.mul i32.div_s i32.div_u i32.rem_s i32.rem_u
i32.and i32.or i32.xor i32.shl i32.shr_s i32.shr_u i32.rotl i32.rotr
i64.clz i64.ctz i64.popcnt i64.add i64.sub i64.mul i64.div_s i64.div_u i64.rem_s i64.rem_u
i64.and i64.or i64.xor i64.shl i64.shr_s i64.shr_u i64.rotl i64.rotr
f32.abs f32.neg f32.ceil f32.floor f32.trunc f32.nearest f32.sqrt f32.add f32.sub f32.mul f32.div
f32.min f32.max f32.copysign
f64.abs f64.neg f64.ceil f64.floor f64.trunc f64.nearest f64.sqrt f64.add f64.sub f64.mul f64.div
f64.min f64.max f64.copysign
i32.wrap_i64 i32.trunc_f32_s i32.trunc_f32_u i32.trunc_f64_s i32.trunc_f64_u
i64.extend_i32_s i64.extend_i32_u i64.trunc_f32_s i64.trunc_f32_u i64.trunc_f64_s i64.trunc_f64_u
f32.convert_i32_s f32.convert_i32_u f32.convert_i64_s f32.convert_i64_u f32.demote_f64
f64.convert_i32_s f64.convert_i32_u f64.convert_i64_s f64.convert_i64_u f64.promote_f32
i32.reinterpret_f32 i64.reinterpret_f64 f32.reinterpret_i32 f64.reinterpret_i64
i32.extend8_s i32.extend16_s i64.extend8_s i64.extend16_s i64.extend32_s""".split()
PLAIN += [(0x45 + i, n, "none") for i, n in enumerate(numeric)]
assert PLAIN[-1][0] == 0xC4, hex(PLAIN[-1][0])
PLAIN += [(0xD0, "ref.null", "reftype"), (0xD1, "ref.is_null", "none"), (0xD2, "ref.func", "func")]

FC = [(0, "i32.trunc_sat_f32_s", "none"), (1, "i32.trunc_sat_f32_u", "none"),
      (2, "i32.trunc_sat_f64_s", "none"), (3, "i32.trunc_sat_f64_u", "none"),
      (4, "i64.trunc_sat_f32_s", "none"), (5, "i64.trunc_sat_f32_u", "none"),
      (6, "i64.trunc_sat_f64_s", "none"), (7, "i64.trunc_sat_f64_u", "none"),
      (8, "memory.init", "memory_init"), (9, "data.drop", "data"),
      (10, "memory.copy", "memory_copy"), (11, "memory.fill", "memidx"),
      (12, "table.init", "table_init"), (13, "elem.drop", "elem"),
      (14, "table.copy", "table_copy"), (15, "table.grow", "table"),
      (16, "table.size", "table"), (17, "table.fill", "table")]

simd_mem = ["v128.load", "v128.load8x8_s", "v128.load8x8_u", "v128.load16x4_s", "v128.load16x4_u",
            "v128.load32x2_s", "v128.load32x2_u", "v128.load8_splat", "v128.load16_splat",
            "v128.load32_splat", "v128.load64_splat", "v128.store"]
FD = [(i, n, "memarg") for i, n in enumerate(simd_mem)]
FD += [(12, "v128.const", "v128"), (13, "i8x16.shuffle", "shuffle"), (14, "i8x16.swizzle", "none"),
       (15, "i8x16.splat", "none"), (16, "i16x8.splat", "none"), (17, "i32x4.splat", "none"),
       (18, "i64x2.splat", "none"), (19, "f32x4.splat", "none"), (20, "f64x2.splat", "none"),
       (21, "i8x16.extract_lane_s", "lane"), (22, "i8x16.extract_lane_u", "lane"),
       (23, "i8x16.replace_lane", "lane"), (24, "i16x8.extract_lane_s", "lane"),
       (25, "i16x8.extract_lane_u", "lane"), (26, "i16x8.replace_lane", "lane"),
       (27, "i32x4.extract_lane", "lane"), (28, "i32x4.replace_lane", "lane"),
       (29, "i64x2.extract_lane", "lane"), (30, "i64x2.replace_lane", "lane"),
       (31, "f32x4.extract_lane", "lane"), (32, "f32x4.replace_lane", "lane"),
       (33, "f64x2.extract_lane", "lane"), (34, "f64x2.replace_lane", "lane")]
simd_plain = {
    35: "i8x16.eq i8x16.ne i8x16.lt_s i8x16.lt_u i8x16.gt_s i8x16.gt_u i8x16.le_s i8x16.le_u i8x16.ge_s i8x16.ge_u"
        " i16x8.eq i16x8.ne i16x8.lt_s i16x8.lt_u i16x8.gt_s i16x8.gt_u i16x8.le_s i16x8.le_u i16x8.ge_s i16x8.ge_u"
        " i32x4.eq i32x4.ne i32x4.lt_s i32x4.lt_u i32x4.gt_s i32x4.gt_u i32x4.le_s i32x4.le_u i32x4.ge_s i32x4.ge_u"
        " f32x4.eq f32x4.ne f32x4.lt f32x4.gt f32x4.le f32x4.ge"
        " f64x2.eq f64x2.ne f64x2.lt f64x2.gt f64x2.le f64x2.ge"
        " v128.not v128.and v128.andnot v128.or v128.xor v128.bitselect v128.any_true",
}
FD += [(35 + i, n, "none") for i, n in enumerate(simd_plain[35].split())]
assert FD[-1][0] == 83, FD[-1]
FD += [(84, "v128.load8_lane", "memarg_lane"), (85, "v128.load16_lane", "memarg_lane"),
       (86, "v128.load32_lane", "memarg_lane"), (87, "v128.load64_lane", "memarg_lane"),
       (88, "v128.store8_lane", "memarg_lane"), (89, "v128.store16_lane", "memarg_lane"),
       (90, "v128.store32_lane", "memarg_lane"), (91, "v128.store64_lane", "memarg_lane"),
       (92, "v128.load32_zero", "memarg"), (93, "v128.load64_zero", "memarg"),
       (94, "f32x4.demote_f64x2_zero", "none"), (95, "f64x2.promote_low_f32x4", "none")]
rest = {
    96: "i8x16.abs", 97: "i8x16.neg", 98: "i8x16.popcnt", 99: "i8x16.all_true", 100: "i8x16.bitmask",
    101: "i8x16.narrow_i16x8_s", 102: "i8x16.narrow_i16x8_u", 103: "f32x4.ceil", 104: "f32x4.floor",
    105: "f32x4.trunc", 106: "f32x4.nearest", 107: "i8x16.shl", 108: "i8x16.shr_s", 109: "i8x16.shr_u",
    110: "i8x16.add", 111: "i8x16.add_sat_s", 112: "i8x16.add_sat_u", 113: "i8x16.sub",
    114: "i8x16.sub_sat_s", 115: "i8x16.sub_sat_u", 116: "f64x2.ceil", 117: "f64x2.floor",
    118: "i8x16.min_s", 119: "i8x16.min_u", 120: "i8x16.max_s", 121: "i8x16.max_u",
    122: "f64x2.trunc", 123: "i8x16.avgr_u",
    124: "i16x8.extadd_pairwise_i8x16_s", 125: "i16x8.extadd_pairwise_i8x16_u",
    126: "i32x4.extadd_pairwise_i16x8_s", 127: "i32x4.extadd_pairwise_i16x8_u",
    128: "i16x8.abs", 129: "i16x8.neg", 130: "i16x8.q15mulr_sat_s", 131: "i16x8.all_true",
    132: "i16x8.bitmask", 133: "i16x8.narrow_i32x4_s", 134: "i16x8.narrow_i32x4_u",
    135: "i16x8.extend_low_i8x16_s", 136: "i16x8.extend_high_i8x16_s",
    137: "i16x8.extend_low_i8x16_u", 138: "i16x8.extend_high_i8x16_u",
    139: "i16x8.shl", 140: "i16x8.shr_s", 141: "i16x8.shr_u", 142: "i16x8.add",
    143: "i16x8.add_sat_s", 144: "i16x8.add_sat_u", 145: "i16x8.sub", 146: "i16x8.sub_sat_s",
    147: "i16x8.sub_sat_u", 148: "f64x2.nearest", 149: "i16x8.mul", 150: "i16x8.min_s",
    151: "i16x8.min_u", 152: "i16x8.max_s", 153: "i16x8.max_u", 155: "i16x8.avgr_u",
    156: "i16x8.extmul_low_i8x16_s", 157: "i16x8.extmul_high_i8x16_s",
    158: "i16x8.extmul_low_i8x16_u", 159: "i16x8.extmul_high_i8x16_u",
    160: "i32x4.abs", 161: "i32x4.neg", 163: "i32x4.all_true", 164: "i32x4.bitmask",
    167: "i32x4.extend_low_i16x8_s", 168: "i32x4.extend_high_i16x8_s",
    169: "i32x4.extend_low_i16x8_u", 170: "i32x4.extend_high_i16x8_u",
    171: "i32x4.shl", 172: "i32x4.shr_s", 173: "i32x4.shr_u", 174: "i32x4.add", 177: "i32x4.sub",
    181: "i32x4.mul", 182: "i32x4.min_s", 183: "i32x4.min_u", 184: "i32x4.max_s", 185: "i32x4.max_u",
    186: "i32x4.dot_i16x8_s",
    188: "i32x4.extmul_low_i16x8_s", 189: "i32x4.extmul_high_i16x8_s",
    190: "i32x4.extmul_low_i16x8_u", 191: "i32x4.extmul_high_i16x8_u",
    192: "i64x2.abs", 193: "i64x2.neg", 195: "i64x2.all_true", 196: "i64x2.bitmask",
    199: "i64x2.extend_low_i32x4_s", 200: "i64x2.extend_high_i32x4_s",
    201: "i64x2.extend_low_i32x4_u", 202: "i64x2.extend_high_i32x4_u",
    203: "i64x2.shl", 204: "i64x2.shr_s", 205: "i64x2.shr_u", 206: "i64x2.add", 209: "i64x2.sub",
    213: "i64x2.mul", 214: "i64x2.eq", 215: "i64x2.ne", 216: "i64x2.lt_s", 217: "i64x2.gt_s",
    218: "i64x2.le_s", 219: "i64x2.ge_s",
    220: "i64x2.extmul_low_i32x4_s", 221: "i64x2.extmul_high_i32x4_s",
    222: "i64x2.extmul_low_i32x4_u", 223: "i64x2.extmul_high_i32x4_u",
    224: "f32x4.abs", 225: "f32x4.neg", 227: "f32x4.sqrt", 228: "f32x4.add", 229: "f32x4.sub",
    230: "f32x4.mul", 231: "f32x4.div", 232: "f32x4.min", 233: "f32x4.max", 234: "f32x4.pmin",
    235: "f32x4.pmax", 236: "f64x2.abs", 237: "f64x2.neg", 239: "f64x2.sqrt", 240: "f64x2.add",
    241: "f64x2.sub", 242: "f64x2.mul", 243: "f64x2.div", 244: "f64x2.min", 245: "f64x2.max",
    246: "f64x2.pmin", 247: "f64x2.pmax",
    248: "i32x4.trunc_sat_f32x4_s", 249: "i32x4.trunc_sat_f32x4_u",
    250: "f32x4.convert_i32x4_s", 251: "f32x4.convert_i32x4_u",
    252: "i32x4.trunc_sat_f64x2_s_zero", 253: "i32x4.trunc_sat_f64x2_u_zero",
    254: "f64x2.convert_low_i32x4_s", 255: "f64x2.convert_low_i32x4_u",
}
FD += [(k, v, "none") for k, v in sorted(rest.items())]


def cname(mnemonic):
    return "W2N_OP_" + mnemonic.upper().replace(".", "_")


def main():
    out = ["/* opcodes.h — every Wasm 2.0 opcode.  Generated by scripts/gen_opcodes.py; do not edit.",
           " *",
           " * A plain opcode is its byte; a prefixed one is (prefix << 16) | sub-opcode.",
           " * Names: W2N_OP_ + the mnemonic upper-cased, '.' -> '_' (select with a type",
           " * vector is W2N_OP_SELECT_T). */",
           "#ifndef W2N_OPCODES_H", "#define W2N_OPCODES_H", "", "#include <stdint.h>", "",
           "/* What follows the opcode in the binary. */",
           "typedef enum w2n_imm_kind {"]
    kinds = ["none", "block", "label", "br_table", "func", "call_indirect", "select_t", "local",
             "global", "table", "memarg", "memidx", "i32", "i64", "f32", "f64", "reftype",
             "memory_init", "data", "memory_copy", "table_init", "elem", "table_copy", "v128",
             "shuffle", "lane", "memarg_lane"]
    out += ["    W2N_IMM_%s," % k.upper() for k in kinds]
    out += ["} w2n_imm_kind;", "", "typedef enum w2n_opcode {"]
    for code, name, _ in PLAIN:
        out.append("    %s = 0x%02X," % (cname(name), code))
    for code, name, _ in FC:
        out.append("    %s = 0xFC0000 | %d," % (cname(name), code))
    for code, name, _ in FD:
        out.append("    %s = 0xFD0000 | %d," % (cname(name), code))
    out += ["} w2n_opcode;", "", "typedef struct w2n_opcode_info {", "    const char *name;   /* the spec's mnemonic */",
            "    uint8_t imm;        /* w2n_imm_kind */", "} w2n_opcode_info;", "",
            "/* Name and immediate kind of an opcode, or NULL for an unknown one. */",
            "const w2n_opcode_info *w2n_opcode_lookup(uint32_t opcode);", "", "#endif", ""]
    open("compiler/opcodes.h", "w").write("\n".join(out))

    tab = ["/* opcodes.c — names and immediate kinds.  Generated by scripts/gen_opcodes.py; do not edit. */",
           "#include \"opcodes.h\"", "", "#include <stddef.h>", ""]
    for label, table, size in (("plain", PLAIN, 256), ("fc", FC, 18), ("fd", FD, 256)):
        tab.append("static const w2n_opcode_info %s_ops[%d] = {" % (label, size))
        for code, name, imm in table:
            tab.append("    [%d] = {\"%s\", W2N_IMM_%s}," % (code, name, imm.upper()))
        tab.append("};")
        tab.append("")
    tab += ["const w2n_opcode_info *w2n_opcode_lookup(uint32_t opcode) {",
            "    const w2n_opcode_info *info = NULL;",
            "    uint32_t sub = opcode & 0xFFFF;",
            "    switch (opcode >> 16) {",
            "    case 0: info = opcode < 256 ? &plain_ops[opcode] : NULL; break;",
            "    case 0xFC: info = sub < 18 ? &fc_ops[sub] : NULL; break;",
            "    case 0xFD: info = sub < 256 ? &fd_ops[sub] : NULL; break;",
            "    }",
            "    return info && info->name ? info : NULL;",
            "}", ""]
    open("compiler/opcodes.c", "w").write("\n".join(tab))


if __name__ == "__main__":
    main()
