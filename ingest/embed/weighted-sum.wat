;; The offline embedder's weighted sum of word vectors (ingest/embed/sif.ts `weightedSum`) with
;; SIMD, over a word-vector table read into a shared WebAssembly memory
;; (ingest/embed/weighted-sum-kernel.ts). It computes what the JavaScript loop computes, to the
;; bit: each component adds the terms' products in the terms' order, in float64, each float32
;; table value widened exactly; two components per instruction, four rows per pass over the sum.
;; The JavaScript loop took about three times as long (bench/suite/embed-rows-bench.ts).
;; Assembled into ingest/embed/weighted-sum-wasm.ts by scripts/build-wasm.mjs.
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; Adds Σ weight · row over $count terms from byte $terms to the $dim float64s from byte $sum.
  ;; A term is 16 bytes: its row's byte offset (i32), four unused bytes, its weight (f64); a row
  ;; is $dim float32s.
  (func (export "weightedSum") (param $terms i32) (param $count i32) (param $sum i32) (param $dim i32)
    (local $end i32) (local $t i32) (local $s i32) (local $sumEnd i32) (local $pairsEnd i32)
    (local $r0 i32) (local $r1 i32) (local $r2 i32) (local $r3 i32)
    (local $w0 v128) (local $w1 v128) (local $w2 v128) (local $w3 v128) (local $acc v128)
    (local.set $end (i32.add (local.get $terms) (i32.shl (local.get $count) (i32.const 4))))
    (local.set $sumEnd (i32.add (local.get $sum) (i32.shl (local.get $dim) (i32.const 3))))
    ;; Components in pairs up to here; an odd last one alone.
    (local.set $pairsEnd (i32.add (local.get $sum) (i32.shl (i32.and (local.get $dim) (i32.const -2)) (i32.const 3))))
    (local.set $t (local.get $terms))
    ;; Four terms a pass: ((((sum + w0·r0) + w1·r1) + w2·r2) + w3·r3), the order of adding them one by one.
    (block $fours
      (loop $four
        (br_if $fours (i32.gt_u (i32.add (local.get $t) (i32.const 64)) (local.get $end)))
        (local.set $r0 (i32.load (local.get $t)))
        (local.set $r1 (i32.load offset=16 (local.get $t)))
        (local.set $r2 (i32.load offset=32 (local.get $t)))
        (local.set $r3 (i32.load offset=48 (local.get $t)))
        (local.set $w0 (f64x2.splat (f64.load offset=8 (local.get $t))))
        (local.set $w1 (f64x2.splat (f64.load offset=24 (local.get $t))))
        (local.set $w2 (f64x2.splat (f64.load offset=40 (local.get $t))))
        (local.set $w3 (f64x2.splat (f64.load offset=56 (local.get $t))))
        (local.set $s (local.get $sum))
        (block $pairs
          (loop $pair
            (br_if $pairs (i32.ge_u (local.get $s) (local.get $pairsEnd)))
            (local.set $acc (v128.load (local.get $s)))
            (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (local.get $w0) (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $r0))))))
            (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (local.get $w1) (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $r1))))))
            (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (local.get $w2) (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $r2))))))
            (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (local.get $w3) (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $r3))))))
            (v128.store (local.get $s) (local.get $acc))
            (local.set $s (i32.add (local.get $s) (i32.const 16)))
            (local.set $r0 (i32.add (local.get $r0) (i32.const 8)))
            (local.set $r1 (i32.add (local.get $r1) (i32.const 8)))
            (local.set $r2 (i32.add (local.get $r2) (i32.const 8)))
            (local.set $r3 (i32.add (local.get $r3) (i32.const 8)))
            (br $pair)))
        (if (i32.lt_u (local.get $s) (local.get $sumEnd))
          (then
            (f64.store (local.get $s)
              (f64.add
                (f64.add
                  (f64.add
                    (f64.add (f64.load (local.get $s)) (f64.mul (f64x2.extract_lane 0 (local.get $w0)) (f64.promote_f32 (f32.load (local.get $r0)))))
                    (f64.mul (f64x2.extract_lane 0 (local.get $w1)) (f64.promote_f32 (f32.load (local.get $r1)))))
                  (f64.mul (f64x2.extract_lane 0 (local.get $w2)) (f64.promote_f32 (f32.load (local.get $r2)))))
                (f64.mul (f64x2.extract_lane 0 (local.get $w3)) (f64.promote_f32 (f32.load (local.get $r3))))))))
        (local.set $t (i32.add (local.get $t) (i32.const 64)))
        (br $four)))
    ;; The last one to three terms, one a pass.
    (block $ones
      (loop $one
        (br_if $ones (i32.ge_u (local.get $t) (local.get $end)))
        (local.set $r0 (i32.load (local.get $t)))
        (local.set $w0 (f64x2.splat (f64.load offset=8 (local.get $t))))
        (local.set $s (local.get $sum))
        (block $pairs
          (loop $pair
            (br_if $pairs (i32.ge_u (local.get $s) (local.get $pairsEnd)))
            (v128.store (local.get $s)
              (f64x2.add (v128.load (local.get $s)) (f64x2.mul (local.get $w0) (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $r0))))))
            (local.set $s (i32.add (local.get $s) (i32.const 16)))
            (local.set $r0 (i32.add (local.get $r0) (i32.const 8)))
            (br $pair)))
        (if (i32.lt_u (local.get $s) (local.get $sumEnd))
          (then
            (f64.store (local.get $s)
              (f64.add (f64.load (local.get $s)) (f64.mul (f64x2.extract_lane 0 (local.get $w0)) (f64.promote_f32 (f32.load (local.get $r0))))))))
        (local.set $t (i32.add (local.get $t) (i32.const 16)))
        (br $one))))
)
