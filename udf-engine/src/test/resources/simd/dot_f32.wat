;; dot_f32 of benchmark-queries/kernels/simd.c as clang -O2 -msimd128 builds it (wasm2wat of simd.wasm):
;; the f32x4 loop unrolled four times, then the remainder loop
(module
  (memory (export "memory") 4)
  (func $dot_f32 (export "dot_f32") (param i32 i32 i32) (result f32)
    (local v128 i32 i32 i32 i32 i32)
    block  ;; label = @1
      block  ;; label = @2
        local.get 2
        br_if 0 (;@2;)
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
        local.set 3
        br 1 (;@1;)
      end
      local.get 2
      i32.const -1
      i32.add
      local.tee 2
      i32.const 2
      i32.shr_u
      i32.const 1
      i32.add
      local.tee 4
      i32.const 3
      i32.and
      local.set 5
      block  ;; label = @2
        block  ;; label = @3
          local.get 2
          i32.const 12
          i32.ge_u
          br_if 0 (;@3;)
          v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
          local.set 3
          i32.const 0
          local.set 6
          br 1 (;@2;)
        end
        local.get 4
        i32.const 2147483644
        i32.and
        local.set 7
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
        local.set 3
        i32.const 0
        local.set 2
        i32.const 0
        local.set 6
        loop  ;; label = @3
          local.get 3
          local.get 0
          local.get 2
          i32.add
          local.tee 4
          v128.load align=1
          local.get 1
          local.get 2
          i32.add
          local.tee 8
          v128.load align=1
          f32x4.mul
          f32x4.add
          local.get 4
          i32.const 16
          i32.add
          v128.load align=1
          local.get 8
          i32.const 16
          i32.add
          v128.load align=1
          f32x4.mul
          f32x4.add
          local.get 4
          i32.const 32
          i32.add
          v128.load align=1
          local.get 8
          i32.const 32
          i32.add
          v128.load align=1
          f32x4.mul
          f32x4.add
          local.get 4
          i32.const 48
          i32.add
          v128.load align=1
          local.get 8
          i32.const 48
          i32.add
          v128.load align=1
          f32x4.mul
          f32x4.add
          local.set 3
          local.get 2
          i32.const 64
          i32.add
          local.set 2
          local.get 6
          i32.const 16
          i32.add
          local.set 6
          local.get 7
          i32.const -4
          i32.add
          local.tee 7
          br_if 0 (;@3;)
        end
      end
      local.get 5
      i32.eqz
      br_if 0 (;@1;)
      local.get 0
      local.get 6
      i32.const 2
      i32.shl
      local.tee 4
      i32.add
      local.set 2
      local.get 1
      local.get 4
      i32.add
      local.set 4
      loop  ;; label = @2
        local.get 3
        local.get 2
        v128.load align=1
        local.get 4
        v128.load align=1
        f32x4.mul
        f32x4.add
        local.set 3
        local.get 2
        i32.const 16
        i32.add
        local.set 2
        local.get 4
        i32.const 16
        i32.add
        local.set 4
        local.get 5
        i32.const -1
        i32.add
        local.tee 5
        br_if 0 (;@2;)
      end
    end
    local.get 3
    f32x4.extract_lane 0
    local.get 3
    f32x4.extract_lane 1
    f32.add
    local.get 3
    f32x4.extract_lane 2
    local.get 3
    f32x4.extract_lane 3
    f32.add
    f32.add)
)
