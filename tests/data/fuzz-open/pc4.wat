(module (memory 1)
  (func (export "f") (result i32)
    (i8x16.extract_lane_u 0 (i8x16.popcnt (i32x4.gt_u (v128.const i32x4 1 2 3 4) (v128.const i32x4 4 3 2 1))))))
