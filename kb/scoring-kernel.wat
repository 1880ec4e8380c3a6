;; The hot loops of a lexical search (kb/lexical-index.ts: `accumulate`, `fillHeap`, `clearTouched`)
;; in WebAssembly, over a snapshot read into a ScoringArena (kb/scoring-kernel.ts). They compute
;; exactly what the JavaScript loops compute: the same float64 operations in the same order, each
;; sum rounded to float32 as a Float32Array stores it, the same top k. At 1M passages V8 ran the
;; JavaScript scoring loop at about 15 ns a posting and this one at about 8.
;; Assembled into kb/scoring-kernel-wasm.ts by scripts/build-wasm.mjs.
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; Adds postings [0, $n) of one list to the scores and masks of live passages; each posting is
  ;; the gap to the previous label and its weight's slot, both LEB128 varints, from byte $p with
  ;; previous label $label. Passages seen for the first time are appended to the touched list and
  ;; get their first term written over whatever score is there (when $touchNew), or are skipped.
  ;; Every other argument is a byte offset into the memory, or BM25's norm. Returns the new count
  ;; of touched passages.
  (func (export "accumulate")
    (param $p i32) (param $n i32) (param $label i32)
    (param $live i32) (param $lengths i32) (param $scores i32) (param $masks i32) (param $weights i32) (param $touched i32)
    (param $count i32) (param $flag i32) (param $value f64)
    (param $k1 f64) (param $b f64) (param $delta f64) (param $averageLength f64) (param $touchNew i32)
    (result i32)
    (local $i i32) (local $byte i32) (local $gap i32) (local $shift i32) (local $slot i32)
    (local $frequency f64) (local $length f64) (local $score f64) (local $at i32) (local $mask i32)
    (local $kPlusOne f64) (local $oneMinusB f64)
    (local.set $kPlusOne (f64.add (local.get $k1) (f64.const 1)))
    (local.set $oneMinusB (f64.sub (f64.const 1) (local.get $b)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        ;; The label's gap.
        (local.set $byte (i32.load8_u (local.get $p)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (local.set $gap (i32.and (local.get $byte) (i32.const 0x7f)))
        (local.set $shift (i32.const 7))
        (block $gapEnd
          (loop $gapByte
            (br_if $gapEnd (i32.lt_u (local.get $byte) (i32.const 0x80)))
            (local.set $byte (i32.load8_u (local.get $p)))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (local.set $gap (i32.or (local.get $gap) (i32.shl (i32.and (local.get $byte) (i32.const 0x7f)) (local.get $shift))))
            (local.set $shift (i32.add (local.get $shift) (i32.const 7)))
            (br $gapByte)))
        (local.set $label (i32.add (local.get $label) (local.get $gap)))
        ;; The weight's slot.
        (local.set $byte (i32.load8_u (local.get $p)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (local.set $slot (i32.and (local.get $byte) (i32.const 0x7f)))
        (local.set $shift (i32.const 7))
        (block $slotEnd
          (loop $slotByte
            (br_if $slotEnd (i32.lt_u (local.get $byte) (i32.const 0x80)))
            (local.set $byte (i32.load8_u (local.get $p)))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (local.set $slot (i32.or (local.get $slot) (i32.shl (i32.and (local.get $byte) (i32.const 0x7f)) (local.get $shift))))
            (local.set $shift (i32.add (local.get $shift) (i32.const 7)))
            (br $slotByte)))
        (br_if $next (i32.ne (i32.load8_u (i32.add (local.get $live) (local.get $label))) (i32.const 1)))
        (local.set $at (i32.shl (local.get $label) (i32.const 2)))
        (local.set $mask (i32.load (i32.add (local.get $masks) (local.get $at))))
        (if (i32.eqz (local.get $mask))
          (then
            (br_if $next (i32.eqz (local.get $touchNew)))
            (i32.store (i32.add (local.get $touched) (i32.shl (local.get $count) (i32.const 2))) (local.get $label))
            (local.set $count (i32.add (local.get $count) (i32.const 1)))))
        (local.set $frequency (f64.load (i32.add (local.get $weights) (i32.shl (local.get $slot) (i32.const 3)))))
        (local.set $length (f64.promote_f32 (f32.load (i32.add (local.get $lengths) (local.get $at)))))
        ;; value · (f · (k1 + 1) / (f + k1 · (1 − b + b · length / averageLength)) + delta)
        (local.set $score
          (f64.mul (local.get $value)
            (f64.add
              (f64.div
                (f64.mul (local.get $frequency) (local.get $kPlusOne))
                (f64.add (local.get $frequency)
                  (f64.mul (local.get $k1)
                    (f64.add (local.get $oneMinusB)
                      (f64.div (f64.mul (local.get $b) (local.get $length)) (local.get $averageLength))))))
              (local.get $delta))))
        ;; A passage's first term is written, not added: a query clears only the masks it set.
        (if (i32.eqz (local.get $mask))
          (then (f32.store (i32.add (local.get $scores) (local.get $at)) (f32.demote_f64 (local.get $score))))
          (else
            (f32.store (i32.add (local.get $scores) (local.get $at))
              (f32.demote_f64 (f64.add (f64.promote_f32 (f32.load (i32.add (local.get $scores) (local.get $at)))) (local.get $score))))))
        (i32.store (i32.add (local.get $masks) (local.get $at)) (i32.or (local.get $mask) (local.get $flag)))
        (br $next)))
    (local.get $count))

  ;; Whether passage $a ranks below passage $b: a lower score, or the same score and a higher label
  ;; (`isWorse` of kb/lexical-index.ts; float32 scores compare as their float64 values do).
  (func $isWorse (param $scores i32) (param $a i32) (param $b i32) (result i32)
    (local $scoreA f32) (local $scoreB f32)
    (local.set $scoreA (f32.load (i32.add (local.get $scores) (i32.shl (local.get $a) (i32.const 2)))))
    (local.set $scoreB (f32.load (i32.add (local.get $scores) (i32.shl (local.get $b) (i32.const 2)))))
    (i32.or
      (f32.lt (local.get $scoreA) (local.get $scoreB))
      (i32.and (f32.eq (local.get $scoreA) (local.get $scoreB)) (i32.gt_s (local.get $a) (local.get $b)))))

  ;; The best $k (at least 1) of the $count labels at $touched by score, ties by label, into a
  ;; min-heap of labels at $heap (its worst first); returns how many it holds. `fillHeap` of
  ;; kb/lexical-index.ts: the heap may be ordered differently, but it holds the same labels.
  (func (export "topK") (param $touched i32) (param $count i32) (param $scores i32) (param $heap i32) (param $k i32) (result i32)
    (local $position i32) (local $label i32) (local $size i32) (local $index i32) (local $parent i32)
    (local $left i32) (local $right i32) (local $smallest i32) (local $swap i32)
    (local $score f32) (local $worst i32) (local $worstScore f32)
    (local.set $worst (i32.const -1))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $position) (local.get $count)))
        (local.set $label (i32.load (i32.add (local.get $touched) (i32.shl (local.get $position) (i32.const 2)))))
        (local.set $position (i32.add (local.get $position) (i32.const 1)))
        (if (i32.lt_u (local.get $size) (local.get $k))
          (then
            ;; Not full: add it and sift it up.
            (local.set $index (local.get $size))
            (i32.store (i32.add (local.get $heap) (i32.shl (local.get $index) (i32.const 2))) (local.get $label))
            (local.set $size (i32.add (local.get $size) (i32.const 1)))
            (block $placed
              (loop $up
                (br_if $placed (i32.eqz (local.get $index)))
                (local.set $parent (i32.shr_u (i32.sub (local.get $index) (i32.const 1)) (i32.const 1)))
                (local.set $swap (i32.load (i32.add (local.get $heap) (i32.shl (local.get $parent) (i32.const 2)))))
                (br_if $placed (i32.eqz (call $isWorse (local.get $scores) (local.get $label) (local.get $swap))))
                (i32.store (i32.add (local.get $heap) (i32.shl (local.get $index) (i32.const 2))) (local.get $swap))
                (i32.store (i32.add (local.get $heap) (i32.shl (local.get $parent) (i32.const 2))) (local.get $label))
                (local.set $index (local.get $parent))
                (br $up)))
            (br $next)))
        ;; Full: only a label that beats the worst kept replaces it, then sifts down. (The test
        ;; written out: most labels stop here, and V8 does not inline $isWorse.)
        (local.set $score (f32.load (i32.add (local.get $scores) (i32.shl (local.get $label) (i32.const 2)))))
        (if (i32.ne (local.get $worst) (i32.load (local.get $heap)))
          (then
            (local.set $worst (i32.load (local.get $heap)))
            (local.set $worstScore (f32.load (i32.add (local.get $scores) (i32.shl (local.get $worst) (i32.const 2)))))))
        (br_if $next (f32.lt (local.get $score) (local.get $worstScore)))
        (br_if $next (i32.and (f32.eq (local.get $score) (local.get $worstScore)) (i32.gt_s (local.get $label) (local.get $worst))))
        (i32.store (local.get $heap) (local.get $label))
        (local.set $index (i32.const 0))
        (block $settled
          (loop $down
            (local.set $left (i32.add (i32.shl (local.get $index) (i32.const 1)) (i32.const 1)))
            (local.set $right (i32.add (local.get $left) (i32.const 1)))
            (local.set $smallest (local.get $index))
            (if (i32.lt_u (local.get $left) (local.get $size))
              (then
                (if (call $isWorse (local.get $scores)
                      (i32.load (i32.add (local.get $heap) (i32.shl (local.get $left) (i32.const 2))))
                      (i32.load (i32.add (local.get $heap) (i32.shl (local.get $smallest) (i32.const 2)))))
                  (then (local.set $smallest (local.get $left))))))
            (if (i32.lt_u (local.get $right) (local.get $size))
              (then
                (if (call $isWorse (local.get $scores)
                      (i32.load (i32.add (local.get $heap) (i32.shl (local.get $right) (i32.const 2))))
                      (i32.load (i32.add (local.get $heap) (i32.shl (local.get $smallest) (i32.const 2)))))
                  (then (local.set $smallest (local.get $right))))))
            (br_if $settled (i32.eq (local.get $smallest) (local.get $index)))
            (local.set $swap (i32.load (i32.add (local.get $heap) (i32.shl (local.get $index) (i32.const 2)))))
            (i32.store (i32.add (local.get $heap) (i32.shl (local.get $index) (i32.const 2)))
              (i32.load (i32.add (local.get $heap) (i32.shl (local.get $smallest) (i32.const 2)))))
            (i32.store (i32.add (local.get $heap) (i32.shl (local.get $smallest) (i32.const 2))) (local.get $swap))
            (local.set $index (local.get $smallest))
            (br $down)))
        (br $next)))
    (local.get $size))

  ;; Resets the masks of the $count labels at $touched (`clearTouched`; their scores are written
  ;; afresh at their first term).
  (func (export "clear") (param $touched i32) (param $count i32) (param $masks i32)
    (local $position i32) (local $at i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $position) (local.get $count)))
        (local.set $at (i32.shl (i32.load (i32.add (local.get $touched) (i32.shl (local.get $position) (i32.const 2)))) (i32.const 2)))
        (i32.store (i32.add (local.get $masks) (local.get $at)) (i32.const 0))
        (local.set $position (i32.add (local.get $position) (i32.const 1)))
        (br $next)))))
