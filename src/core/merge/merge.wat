;; The passes over whole files of a three-way merge of UTF-8 bytes, as WebAssembly, each the
;; JavaScript one's step for step (merge3.ts and diff.ts keep those for UTF-16 units and for
;; `diff`): where each line of the three texts starts and an id per line, equal ids for equal lines
;; across the texts (internAll); each side's diff against base (diffIdsPacked); the regions and the
;; merged bytes (buildSpans, render). A merge runs once per process: JavaScript loops over a few
;; megabytes run mostly in the interpreter then, while this module is compiled in one quick pass
;; (Liftoff) and runs as machine code from its first call.
;;
;; Each long loop runs a chunk of its work per call of a function of its own (CHUNK lines, or
;; one group): V8 compiles a module's functions at first in one quick pass (Liftoff) and makes
;; optimized code (TurboFan) for those that run hot, in the background, for their next call; a
;; loop that ran whole in one call would never get it. Small helpers (a word's line breaks, a hash
;; step, an id's or a flag's load) are written out in the loops that use them: calls between
;; WebAssembly functions are not inlined by this V8, and cost a call each.
;;
;; Assembled by scripts/wasm.mjs (run by the build) into merge-wasm.ts. All addresses are byte
;; offsets in the imported memory, laid out by the caller (merge3.ts: bytesPass, bytesDiff, mergeBytes):
;;   a text at `p`, `len` bytes, followed by at least 8 bytes the loads below may read (never used);
;;   its line starts `at` (count + 1 numbers, offsets from p, the last one len), its line hashes,
;;   which its ids replace one for one as they are made (a base line's hash is then its id's); the intern table (capacity numbers, zeroed: id + 1 per slot, 0 free: four bytes a
;;   slot, the table's random probes miss the cache less than with the hash beside each id);
;;   per id: its hash and its first line (side, line number). The header at address 0 holds each
;;   text's address and its line starts' (three pairs), then the markers' (see render).
(module
  (import "m" "mem" (memory 1))

  ;; Line counts by ending, of the last text scanned: LF, CRLF, lone CR.
  (global $lf (export "lf") (mut i32) (i32.const 0))
  (global $crlf (export "crlf") (mut i32) (i32.const 0))
  (global $cr (export "cr") (mut i32) (i32.const 0))

  (func $mix (param $h i64) (param $w i64) (result i64)
    (local.set $h (i64.mul (i64.xor (local.get $h) (local.get $w)) (i64.const 0x9e3779b97f4a7c15)))
    (i64.xor (local.get $h) (i64.shr_u (local.get $h) (i64.const 29))))

  ;; Cuts text [p, p + len) into lines ended by LF, CRLF or a lone CR (the last one may have no
  ;; ending), writing each line's start (from p) to `at` and its hash to `hash`; returns the
  ;; number of lines, or -1 when there are more than `room`. at[count] = len.
  (func (export "scan") (param $p i32) (param $len i32) (param $at i32) (param $hash i32) (param $room i32) (result i32)
    (local $end i32) (local $i i32)
    (local.set $end (i32.add (local.get $p) (local.get $len)))
    (local.set $i (local.get $p))
    (global.set $lf (i32.const 0))
    (global.set $crlf (i32.const 0))
    (global.set $cr (i32.const 0))
    (global.set $scanned (i32.const 0))
    (block $done
      (loop $chunks
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $i (call $scanLines (local.get $p) (local.get $end) (local.get $i) (local.get $at) (local.get $hash) (local.get $room)))
        (if (i32.lt_s (local.get $i) (i32.const 0)) (then (return (i32.const -1))))
        (br $chunks)))
    (i32.store (i32.add (local.get $at) (i32.shl (global.get $scanned) (i32.const 2))) (local.get $len))
    (global.get $scanned))

  ;; Lines counted so far by scan.
  (global $scanned (mut i32) (i32.const 0))

  ;; scan's loop for up to CHUNK lines from byte i (the start of a line); returns where it stopped, -1 out of room.
  (func $scanLines (param $p i32) (param $end i32) (param $i i32) (param $at i32) (param $hash i32) (param $room i32) (result i32)
    (local $s i32) (local $n i32) (local $stop i32) (local $rem i32) (local $k i32)
    (local $c i32) (local $term i64) (local $h i64) (local $w i64) (local $m i64) (local $valid i64) (local $x i64) (local $y i64)
    (local.set $n (global.get $scanned))
    (local.set $stop (i32.add (local.get $n) (i32.const 2048)))
    (block $done
      (loop $line
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (br_if $done (i32.eq (local.get $n) (local.get $stop)))
        (if (i32.eq (local.get $n) (local.get $room)) (then (return (i32.const -1))))
        (local.set $s (local.get $i))
        (local.set $h (i64.const 0))
        (local.set $term (i64.const 0))
        (block $ended
          (loop $word
            (local.set $w (i64.load align=1 (local.get $i)))
            (local.set $x (i64.xor (local.get $w) (i64.const 0x0a0a0a0a0a0a0a0a)))
            (local.set $y (i64.xor (local.get $w) (i64.const 0x0d0d0d0d0d0d0d0d)))
            (local.set $m (i64.and
              (i64.or
                (i64.and (i64.sub (local.get $x) (i64.const 0x0101010101010101)) (i64.xor (local.get $x) (i64.const -1)))
                (i64.and (i64.sub (local.get $y) (i64.const 0x0101010101010101)) (i64.xor (local.get $y) (i64.const -1))))
              (i64.const 0x8080808080808080)))
            (local.set $rem (i32.sub (local.get $end) (local.get $i)))
            (if (i32.lt_u (local.get $rem) (i32.const 8))
              (then
                ;; The text ends inside this word: what follows is not its bytes.
                (local.set $valid (i64.sub (i64.shl (i64.const 1) (i64.extend_i32_u (i32.shl (local.get $rem) (i32.const 3)))) (i64.const 1)))
                (local.set $m (i64.and (local.get $m) (local.get $valid)))
                (local.set $w (i64.and (local.get $w) (local.get $valid)))))
            (if (i64.eqz (local.get $m))
              (then
                (local.set $h (i64.mul (i64.xor (local.get $h) (local.get $w)) (i64.const 0x9e3779b97f4a7c15)))
                (local.set $h (i64.xor (local.get $h) (i64.shr_u (local.get $h) (i64.const 29))))
                (if (i32.le_u (local.get $rem) (i32.const 8))
                  (then
                    ;; The last line, without an ending.
                    (local.set $i (local.get $end))
                    (br $ended)))
                (local.set $i (i32.add (local.get $i) (i32.const 8)))
                (br $word)))
            ;; A line break at byte k of the word: the k bytes before it are the line's last.
            (local.set $k (i32.wrap_i64 (i64.shr_u (i64.ctz (local.get $m)) (i64.const 3))))
            (if (local.get $k)
              (then
                (local.set $h (i64.mul (i64.xor (local.get $h)
                  (i64.and (local.get $w) (i64.sub (i64.shl (i64.const 1) (i64.extend_i32_u (i32.shl (local.get $k) (i32.const 3)))) (i64.const 1))))
                  (i64.const 0x9e3779b97f4a7c15)))
                (local.set $h (i64.xor (local.get $h) (i64.shr_u (local.get $h) (i64.const 29))))))
            (local.set $i (i32.add (local.get $i) (local.get $k)))
            (local.set $c (i32.load8_u (local.get $i)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (if (i32.eq (local.get $c) (i32.const 0x0a))
              (then
                (global.set $lf (i32.add (global.get $lf) (i32.const 1)))
                (local.set $term (i64.const 1)))
              (else
                (if (i32.and (i32.lt_u (local.get $i) (local.get $end)) (i32.eq (i32.load8_u (local.get $i)) (i32.const 0x0a)))
                  (then
                    (local.set $i (i32.add (local.get $i) (i32.const 1)))
                    (global.set $crlf (i32.add (global.get $crlf) (i32.const 1)))
                    (local.set $term (i64.const 2)))
                  (else
                    (global.set $cr (i32.add (global.get $cr) (i32.const 1)))
                    (local.set $term (i64.const 3))))))))
        ;; The length and ending in too, then high bits folded into the low ones a slot is taken from.
        (local.set $h (call $mix (local.get $h)
          (i64.or (i64.shl (local.get $term) (i64.const 32)) (i64.extend_i32_u (i32.sub (local.get $i) (local.get $s))))))
        (local.set $h (i64.mul (i64.xor (local.get $h) (i64.shr_u (local.get $h) (i64.const 32))) (i64.const 0xff51afd7ed558ccd)))
        (i32.store (i32.add (local.get $at) (i32.shl (local.get $n) (i32.const 2))) (i32.sub (local.get $s) (local.get $p)))
        (i32.store (i32.add (local.get $hash) (i32.shl (local.get $n) (i32.const 2)))
          (i32.wrap_i64 (i64.xor (local.get $h) (i64.shr_u (local.get $h) (i64.const 33)))))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $line)))
    (global.set $scanned (local.get $n))
    (local.get $i))

  ;; Whether bytes [a, a + n) equal [b, b + n), eight at a time.
  (func $same (param $a i32) (param $b i32) (param $n i32) (result i32)
    (block $tail
      (loop $words
        (br_if $tail (i32.lt_u (local.get $n) (i32.const 8)))
        (if (i64.ne (i64.load align=1 (local.get $a)) (i64.load align=1 (local.get $b))) (then (return (i32.const 0))))
        (local.set $a (i32.add (local.get $a) (i32.const 8)))
        (local.set $b (i32.add (local.get $b) (i32.const 8)))
        (local.set $n (i32.sub (local.get $n) (i32.const 8)))
        (br $words)))
    (if (i32.eqz (local.get $n)) (then (return (i32.const 1))))
    (i64.eqz
      (i64.and
        (i64.xor (i64.load align=1 (local.get $a)) (i64.load align=1 (local.get $b)))
        (i64.sub (i64.shl (i64.const 1) (i64.extend_i32_u (i32.shl (local.get $n) (i32.const 3)))) (i64.const 1)))))

  ;; The intern table and what its ids stand for (set by `table`).
  (global $table (mut i32) (i32.const 0))
  (global $mask (mut i32) (i32.const 0))
  (global $size (export "size") (mut i32) (i32.const 0))
  (global $rep (mut i32) (i32.const 0))

  ;; A zeroed table of `capacity` slots (a power of two, more than twice the lines) at `table`,
  ;; and after it at `rep`, per id, two numbers: its hash, and its first line (side << 30 | line
  ;; number). That line's bytes are found from the header at address 0, which holds each text's
  ;; address and its line starts' (as render reads them), written before the ids are made.
  (func (export "table") (param $table i32) (param $capacity i32) (param $rep i32)
    (global.set $table (local.get $table))
    (global.set $mask (i32.sub (local.get $capacity) (i32.const 1)))
    (global.set $size (i32.const 0))
    (global.set $rep (local.get $rep)))

  ;; A line's id (written out where lines are interned, in internBaseLines and internSideLines):
  ;; its hash's slot and the ones after it probed until an equal line's id or a free slot, where
  ;; $newId gives the line a new id. An id's line is compared (its length, then its bytes) only
  ;; when its hash is the line's.

  ;; A new id for the line with hash `h` (line `line` of `side`), in free slot `e`.
  (func $newId (param $e i32) (param $h i32) (param $side i32) (param $line i32) (result i32)
    (local $id i32) (local $r i32)
    (local.set $id (global.get $size))
    (global.set $size (i32.add (local.get $id) (i32.const 1)))
    (i32.store (local.get $e) (global.get $size))
    (local.set $r (i32.add (global.get $rep) (i32.shl (local.get $id) (i32.const 3))))
    (i32.store (local.get $r) (local.get $h))
    (i32.store offset=4 (local.get $r) (i32.or (i32.shl (local.get $side) (i32.const 30)) (local.get $line)))
    (local.get $id))

  ;; Whether the line of id `nid` is the `len` bytes at `addr` (its hash is theirs already).
  (func $isLine (param $nid i32) (param $addr i32) (param $len i32) (result i32)
    (local $sl i32) (local $hdr i32) (local $q i32) (local $s i32)
    (local.set $sl (i32.load offset=4 (i32.add (global.get $rep) (i32.shl (local.get $nid) (i32.const 3)))))
    (local.set $hdr (i32.shl (i32.shr_u (local.get $sl) (i32.const 30)) (i32.const 3)))
    (local.set $q (i32.add (i32.load offset=4 (local.get $hdr)) (i32.shl (i32.and (local.get $sl) (i32.const 0x3fffffff)) (i32.const 2))))
    (local.set $s (i32.load (local.get $q)))
    (if (i32.ne (i32.sub (i32.load offset=4 (local.get $q)) (local.get $s)) (local.get $len)) (then (return (i32.const 0))))
    (call $same (i32.add (i32.load (local.get $hdr)) (local.get $s)) (local.get $addr) (local.get $len)))

  ;; Ids for the `count` lines of base (at p, with `at` and `hash` from scan) into `ids` (which may be `hash`).
  (func (export "internBase") (param $p i32) (param $at i32) (param $hash i32) (param $count i32) (param $ids i32)
    (local $i i32) (local $to i32)
    (block $done
      (loop $chunks
        (br_if $done (i32.ge_s (local.get $i) (local.get $count)))
        (local.set $to (call $chunkEnd (local.get $i) (local.get $count)))
        (call $internBaseLines (local.get $p) (local.get $at) (local.get $hash) (local.get $i) (local.get $to) (local.get $ids))
        (local.set $i (local.get $to))
        (br $chunks))))

  ;; The end of the chunk of work that starts at i, of n.
  (func $chunkEnd (param $i i32) (param $n i32) (result i32)
    (local.set $i (i32.add (local.get $i) (i32.const 2048)))
    (if (result i32) (i32.lt_s (local.get $i) (local.get $n)) (then (local.get $i)) (else (local.get $n))))

  (func $internBaseLines (param $p i32) (param $at i32) (param $hash i32) (param $i i32) (param $count i32) (param $ids i32)
    (local $q i32) (local $s i32)
    (local $ih i32) (local $iaddr i32) (local $ilen i32) (local $slot i32) (local $entry i32) (local $e i32) (local $nid i32)
    (block $done
      (loop $lines
        (br_if $done (i32.ge_u (local.get $i) (local.get $count)))
        (local.set $q (i32.add (local.get $at) (i32.shl (local.get $i) (i32.const 2))))
        (local.set $s (i32.load (local.get $q)))
        (i32.store (i32.add (local.get $ids) (i32.shl (local.get $i) (i32.const 2)))
(block $interned (result i32)
            (local.set $ih (i32.load (i32.add (local.get $hash) (i32.shl (local.get $i) (i32.const 2)))))
            (local.set $iaddr (i32.add (local.get $p) (local.get $s)))
            (local.set $ilen (i32.sub (i32.load offset=4 (local.get $q)) (local.get $s)))
            (local.set $slot (i32.and (local.get $ih) (global.get $mask)))
            (block $free
              (loop $probe
                (local.set $e (i32.add (global.get $table) (i32.shl (local.get $slot) (i32.const 2))))
                (local.set $entry (i32.load (local.get $e)))
                (br_if $free (i32.eqz (local.get $entry)))
                (local.set $nid (i32.sub (local.get $entry) (i32.const 1)))
                (if (i32.eq (i32.load (i32.add (global.get $rep) (i32.shl (local.get $nid) (i32.const 3)))) (local.get $ih))
                  (then
                    (if (call $isLine (local.get $nid) (local.get $iaddr) (local.get $ilen))
                      (then (br $interned (local.get $nid))))))
                (local.set $slot (i32.and (i32.add (local.get $slot) (i32.const 1)) (global.get $mask)))
                (br $probe)))
            (call $newId (local.get $e) (local.get $ih) (i32.const 0) (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $lines))))

  ;; Ids for the lines of side `side` (1 ours, 2 theirs), after base's (into `ids`, which may be
  ;; `hash`; a base line's hash is its id's, base's own hashes may be gone): a side is mostly base with
  ;; edits, so the line after the last one found in base is tried first, then (a line rewritten in
  ;; place) the one after the last tried, and only then the table.
  (func (export "internSide") (param $side i32) (param $p i32) (param $at i32) (param $hash i32) (param $count i32) (param $ids i32)
      (param $bp i32) (param $bAt i32) (param $bCount i32) (param $bIds i32)
    (local $i i32) (local $to i32)
    (global.set $next (i32.const 0))
    (global.set $guess (i32.const 0))
    (block $done
      (loop $chunks
        (br_if $done (i32.ge_s (local.get $i) (local.get $count)))
        (local.set $to (call $chunkEnd (local.get $i) (local.get $count)))
        (call $internSideLines (local.get $side) (local.get $p) (local.get $at) (local.get $hash) (local.get $i) (local.get $to) (local.get $ids)
          (local.get $bp) (local.get $bAt) (local.get $bCount) (local.get $bIds))
        (local.set $i (local.get $to))
        (br $chunks))))

  ;; internSide's place in base between chunks.
  (global $next (mut i32) (i32.const 0))
  (global $guess (mut i32) (i32.const 0))

  (func $internSideLines (param $side i32) (param $p i32) (param $at i32) (param $hash i32) (param $i i32) (param $count i32) (param $ids i32)
      (param $bp i32) (param $bAt i32) (param $bCount i32) (param $bIds i32)
    (local $q i32) (local $s i32) (local $len i32) (local $h i32) (local $addr i32)
    (local $next i32) (local $guess i32) (local $id i32) (local $out i32)
    (local $ih i32) (local $iaddr i32) (local $ilen i32) (local $slot i32) (local $entry i32) (local $e i32) (local $nid i32)
    (local.set $next (global.get $next))
    (local.set $guess (global.get $guess))
    (block $done
      (loop $lines
        (br_if $done (i32.ge_u (local.get $i) (local.get $count)))
        (local.set $q (i32.add (local.get $at) (i32.shl (local.get $i) (i32.const 2))))
        (local.set $s (i32.load (local.get $q)))
        (local.set $len (i32.sub (i32.load offset=4 (local.get $q)) (local.get $s)))
        (local.set $addr (i32.add (local.get $p) (local.get $s)))
        (local.set $h (i32.load (i32.add (local.get $hash) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $out (i32.add (local.get $ids) (i32.shl (local.get $i) (i32.const 2))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (if (i32.lt_u (local.get $next) (local.get $bCount))
          (then
            (if (if (result i32) (i32.ne (i32.load (i32.add (global.get $rep) (i32.shl (i32.load (i32.add (local.get $bIds) (i32.shl (local.get $next) (i32.const 2)))) (i32.const 3)))) (local.get $h))
              (then (i32.const 0))
              (else (if (result i32) (i32.ne (i32.sub (i32.load offset=4 (i32.add (local.get $bAt) (i32.shl (local.get $next) (i32.const 2)))) (i32.load (i32.add (local.get $bAt) (i32.shl (local.get $next) (i32.const 2))))) (local.get $len))
                (then (i32.const 0))
                (else (call $same (i32.add (local.get $bp) (i32.load (i32.add (local.get $bAt) (i32.shl (local.get $next) (i32.const 2))))) (local.get $addr) (local.get $len))))))
              (then
                (i32.store (local.get $out) (i32.load (i32.add (local.get $bIds) (i32.shl (local.get $next) (i32.const 2)))))
                (local.set $next (i32.add (local.get $next) (i32.const 1)))
                (local.set $guess (local.get $next))
                (br $lines)))))
        (if (i32.and (i32.gt_u (local.get $guess) (local.get $next)) (i32.lt_u (local.get $guess) (local.get $bCount)))
          (then
            (if (if (result i32) (i32.ne (i32.load (i32.add (global.get $rep) (i32.shl (i32.load (i32.add (local.get $bIds) (i32.shl (local.get $guess) (i32.const 2)))) (i32.const 3)))) (local.get $h))
              (then (i32.const 0))
              (else (if (result i32) (i32.ne (i32.sub (i32.load offset=4 (i32.add (local.get $bAt) (i32.shl (local.get $guess) (i32.const 2)))) (i32.load (i32.add (local.get $bAt) (i32.shl (local.get $guess) (i32.const 2))))) (local.get $len))
                (then (i32.const 0))
                (else (call $same (i32.add (local.get $bp) (i32.load (i32.add (local.get $bAt) (i32.shl (local.get $guess) (i32.const 2))))) (local.get $addr) (local.get $len))))))
              (then
                (i32.store (local.get $out) (i32.load (i32.add (local.get $bIds) (i32.shl (local.get $guess) (i32.const 2)))))
                (local.set $next (i32.add (local.get $guess) (i32.const 1)))
                (local.set $guess (local.get $next))
                (br $lines)))))
        (local.set $id (block $interned (result i32)
            (local.set $ih (local.get $h))
            (local.set $iaddr (local.get $addr))
            (local.set $ilen (local.get $len))
            (local.set $slot (i32.and (local.get $ih) (global.get $mask)))
            (block $free
              (loop $probe
                (local.set $e (i32.add (global.get $table) (i32.shl (local.get $slot) (i32.const 2))))
                (local.set $entry (i32.load (local.get $e)))
                (br_if $free (i32.eqz (local.get $entry)))
                (local.set $nid (i32.sub (local.get $entry) (i32.const 1)))
                (if (i32.eq (i32.load (i32.add (global.get $rep) (i32.shl (local.get $nid) (i32.const 3)))) (local.get $ih))
                  (then
                    (if (call $isLine (local.get $nid) (local.get $iaddr) (local.get $ilen))
                      (then (br $interned (local.get $nid))))))
                (local.set $slot (i32.and (i32.add (local.get $slot) (i32.const 1)) (global.get $mask)))
                (br $probe)))
            (call $newId (local.get $e) (local.get $ih) (local.get $side) (i32.sub (local.get $i) (i32.const 1)))))
        (i32.store (local.get $out) (local.get $id))
        ;; An id first seen in base: the line after that one is the next tried (its side is 0, so
        ;; its second number is its line number).
        (local.set $s (i32.load offset=4 (i32.add (global.get $rep) (i32.shl (local.get $id) (i32.const 3)))))
        (if (i32.lt_u (local.get $s) (i32.const 0x40000000))
          (then
            (local.set $next (i32.add (local.get $s) (i32.const 1)))
            (local.set $guess (local.get $next)))
          (else (local.set $guess (i32.add (local.get $guess) (i32.const 1)))))
        (br $lines)))
    (global.set $next (local.get $next))
    (global.set $guess (local.get $guess)))

  ;; ---- The merge's regions and its output (see buildSpans and render in merge3.ts).
  ;;
  ;; A region ("span") is seven numbers: kind (0 stable, 1 ours, 2 theirs, 3 both, 4 conflict),
  ;; then its lines [b0, b1) of base, [o0, o1) of ours, [t0, t1) of theirs. Each side's hunks
  ;; against base are four numbers each: aStart, aEnd, bStart, bEnd (see diffIdsPacked).

  (global $conflicts (export "conflicts") (mut i32) (i32.const 0))

  ;; Where a chunk ending at base line `chunkEnd` ends on a side whose hunks [from, to) lie in it.
  (func $sideEnd (param $h i32) (param $from i32) (param $to i32) (param $chunkEnd i32) (param $delta i32) (result i32)
    (if (i32.eq (local.get $to) (local.get $from)) (then (return (i32.add (local.get $chunkEnd) (local.get $delta)))))
    (i32.add (i32.load (i32.add (local.get $h) (i32.shl (i32.sub (local.get $to) (i32.const 1)) (i32.const 2))))
      (i32.sub (local.get $chunkEnd) (i32.load (i32.add (local.get $h) (i32.shl (i32.sub (local.get $to) (i32.const 3)) (i32.const 2)))))))

  ;; One change made by both sides: a single hunk each, over the same base lines, the same new lines.
  (func $sameChange (param $oh i32) (param $oFirst i32) (param $oEnd i32) (param $th i32) (param $tFirst i32) (param $tEnd i32) (param $ours i32) (param $theirs i32) (result i32)
    (local $obStart i32) (local $n i32) (local $tbStart i32) (local $k i32)
    (if (i32.or (i32.ne (i32.sub (local.get $oEnd) (local.get $oFirst)) (i32.const 4)) (i32.ne (i32.sub (local.get $tEnd) (local.get $tFirst)) (i32.const 4)))
      (then (return (i32.const 0))))
    (local.set $obStart (i32.load (i32.add (local.get $oh) (i32.shl (i32.add (local.get $oFirst) (i32.const 2)) (i32.const 2)))))
    (local.set $n (i32.sub (i32.load (i32.add (local.get $oh) (i32.shl (i32.add (local.get $oFirst) (i32.const 3)) (i32.const 2)))) (local.get $obStart)))
    (local.set $tbStart (i32.load (i32.add (local.get $th) (i32.shl (i32.add (local.get $tFirst) (i32.const 2)) (i32.const 2)))))
    (if (i32.ne (i32.load (i32.add (local.get $oh) (i32.shl (local.get $oFirst) (i32.const 2)))) (i32.load (i32.add (local.get $th) (i32.shl (local.get $tFirst) (i32.const 2))))) (then (return (i32.const 0))))
    (if (i32.ne (i32.load (i32.add (local.get $oh) (i32.shl (i32.add (local.get $oFirst) (i32.const 1)) (i32.const 2)))) (i32.load (i32.add (local.get $th) (i32.shl (i32.add (local.get $tFirst) (i32.const 1)) (i32.const 2)))))
      (then (return (i32.const 0))))
    (if (i32.ne (local.get $n) (i32.sub (i32.load (i32.add (local.get $th) (i32.shl (i32.add (local.get $tFirst) (i32.const 3)) (i32.const 2)))) (local.get $tbStart)))
      (then (return (i32.const 0))))
    (block $done
      (loop $lines
        (br_if $done (i32.ge_s (local.get $k) (local.get $n)))
        (if (i32.ne (i32.load (i32.add (local.get $ours) (i32.shl (i32.add (local.get $obStart) (local.get $k)) (i32.const 2)))) (i32.load (i32.add (local.get $theirs) (i32.shl (i32.add (local.get $tbStart) (local.get $k)) (i32.const 2)))))
          (then (return (i32.const 0))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $lines)))
    (i32.const 1))

  ;; The regions into `out` from the hunks of ours (`oh`, `on` numbers) and theirs against base;
  ;; `ours` and `theirs` are the sides' ids. Returns how many; counts conflicts in $conflicts.
  (func (export "spans") (param $baseLength i32) (param $ours i32) (param $theirs i32) (param $oh i32) (param $on i32) (param $th i32) (param $tn i32) (param $out i32) (result i32)
    (local $q i32) (local $basePos i32) (local $oi i32) (local $ti i32) (local $oDelta i32) (local $tDelta i32)
    (local $oFirst i32) (local $tFirst i32) (local $chunkStart i32) (local $chunkEnd i32) (local $v i32)
    (local $oEnd i32) (local $tEnd i32) (local $kind i32)
    (local.set $q (local.get $out))
    (global.set $conflicts (i32.const 0))
    (block $done
      (loop $chunks
        (br_if $done (i32.and (i32.ge_s (local.get $oi) (local.get $on)) (i32.ge_s (local.get $ti) (local.get $tn))))
        (local.set $oFirst (local.get $oi))
        (local.set $tFirst (local.get $ti))
        (local.set $chunkStart (i32.const 0x7fffffff))
        (if (i32.lt_s (local.get $oi) (local.get $on)) (then (local.set $chunkStart (i32.load (i32.add (local.get $oh) (i32.shl (local.get $oi) (i32.const 2)))))))
        (if (i32.lt_s (local.get $ti) (local.get $tn))
          (then
            (local.set $v (i32.load (i32.add (local.get $th) (i32.shl (local.get $ti) (i32.const 2)))))
            (if (i32.lt_s (local.get $v) (local.get $chunkStart)) (then (local.set $chunkStart (local.get $v))))))
        (local.set $chunkEnd (local.get $chunkStart))
        ;; Hunks that overlap or only touch the chunk join it.
        (block $joined
          (loop $join
            (if (i32.lt_s (local.get $oi) (local.get $on))
              (then
                (if (i32.le_s (i32.load (i32.add (local.get $oh) (i32.shl (local.get $oi) (i32.const 2)))) (local.get $chunkEnd))
                  (then
                    (local.set $v (i32.load (i32.add (local.get $oh) (i32.shl (i32.add (local.get $oi) (i32.const 1)) (i32.const 2)))))
                    (if (i32.gt_s (local.get $v) (local.get $chunkEnd)) (then (local.set $chunkEnd (local.get $v))))
                    (local.set $oi (i32.add (local.get $oi) (i32.const 4)))
                    (br $join)))))
            (if (i32.lt_s (local.get $ti) (local.get $tn))
              (then
                (if (i32.le_s (i32.load (i32.add (local.get $th) (i32.shl (local.get $ti) (i32.const 2)))) (local.get $chunkEnd))
                  (then
                    (local.set $v (i32.load (i32.add (local.get $th) (i32.shl (i32.add (local.get $ti) (i32.const 1)) (i32.const 2)))))
                    (if (i32.gt_s (local.get $v) (local.get $chunkEnd)) (then (local.set $chunkEnd (local.get $v))))
                    (local.set $ti (i32.add (local.get $ti) (i32.const 4)))
                    (br $join)))))))
        (if (i32.lt_s (local.get $basePos) (local.get $chunkStart))
          (then
            (i32.store (local.get $q) (i32.const 0))
            (i32.store offset=4 (local.get $q) (local.get $basePos))
            (i32.store offset=8 (local.get $q) (local.get $chunkStart))
            (i32.store offset=12 (local.get $q) (i32.add (local.get $basePos) (local.get $oDelta)))
            (i32.store offset=16 (local.get $q) (i32.add (local.get $chunkStart) (local.get $oDelta)))
            (i32.store offset=20 (local.get $q) (i32.add (local.get $basePos) (local.get $tDelta)))
            (i32.store offset=24 (local.get $q) (i32.add (local.get $chunkStart) (local.get $tDelta)))
            (local.set $q (i32.add (local.get $q) (i32.const 28)))))
        (local.set $oEnd (call $sideEnd (local.get $oh) (local.get $oFirst) (local.get $oi) (local.get $chunkEnd) (local.get $oDelta)))
        (local.set $tEnd (call $sideEnd (local.get $th) (local.get $tFirst) (local.get $ti) (local.get $chunkEnd) (local.get $tDelta)))
        (local.set $kind
          (if (result i32) (i32.eq (local.get $ti) (local.get $tFirst))
            (then (i32.const 1))
            (else
              (if (result i32) (i32.eq (local.get $oi) (local.get $oFirst))
                (then (i32.const 2))
                (else
                  (if (result i32) (call $sameChange (local.get $oh) (local.get $oFirst) (local.get $oi) (local.get $th) (local.get $tFirst) (local.get $ti) (local.get $ours) (local.get $theirs))
                    (then (i32.const 3))
                    (else (i32.const 4))))))))
        (if (i32.eq (local.get $kind) (i32.const 4)) (then (global.set $conflicts (i32.add (global.get $conflicts) (i32.const 1)))))
        (i32.store (local.get $q) (local.get $kind))
        (i32.store offset=4 (local.get $q) (local.get $chunkStart))
        (i32.store offset=8 (local.get $q) (local.get $chunkEnd))
        (i32.store offset=12 (local.get $q) (i32.add (local.get $chunkStart) (local.get $oDelta)))
        (i32.store offset=16 (local.get $q) (local.get $oEnd))
        (i32.store offset=20 (local.get $q) (i32.add (local.get $chunkStart) (local.get $tDelta)))
        (i32.store offset=24 (local.get $q) (local.get $tEnd))
        (local.set $q (i32.add (local.get $q) (i32.const 28)))
        (local.set $oDelta (i32.sub (local.get $oEnd) (local.get $chunkEnd)))
        (local.set $tDelta (i32.sub (local.get $tEnd) (local.get $chunkEnd)))
        (local.set $basePos (local.get $chunkEnd))
        (br $chunks)))
    (if (i32.lt_s (local.get $basePos) (local.get $baseLength))
      (then
        (i32.store (local.get $q) (i32.const 0))
        (i32.store offset=4 (local.get $q) (local.get $basePos))
        (i32.store offset=8 (local.get $q) (local.get $baseLength))
        (i32.store offset=12 (local.get $q) (i32.add (local.get $basePos) (local.get $oDelta)))
        (i32.store offset=16 (local.get $q) (i32.add (local.get $baseLength) (local.get $oDelta)))
        (i32.store offset=20 (local.get $q) (i32.add (local.get $basePos) (local.get $tDelta)))
        (i32.store offset=24 (local.get $q) (i32.add (local.get $baseLength) (local.get $tDelta)))
        (local.set $q (i32.add (local.get $q) (i32.const 28)))))
    (i32.div_u (i32.sub (local.get $q) (local.get $out)) (i32.const 28)))

  ;; The render's inputs, at address 0 (16 numbers, set by the caller): per text (base, ours,
  ;; theirs) its address and its line starts' address; then address and length of the markers:
  ;; open, middle (length 0: the merge style, no base section), separator, close, and the line ending.
  ;;   0 bp  4 bAt  8 op  12 oAt  16 tp  20 tAt  24 open  28 openLen  32 middle  36 middleLen
  ;;   40 separator  44 separatorLen  48 close  52 closeLen  56 eol  60 eolLen

  ;; The merged file from `n` regions at `spans`, written at `out` (or, with write 0, only its
  ;; length counted); returns the position after it.
  (func (export "render") (param $spans i32) (param $n i32) (param $out i32) (param $write i32) (result i32)
    (local $i i32) (local $to i32) (local $pos i32)
    (local.set $pos (local.get $out))
    (block $done
      (loop $chunks
        (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $to (call $chunkEnd (local.get $i) (local.get $n)))
        (local.set $pos (call $renderSome
          (i32.add (local.get $spans) (i32.mul (local.get $i) (i32.const 28)))
          (i32.add (local.get $spans) (i32.mul (local.get $to) (i32.const 28)))
          (local.get $pos) (local.get $write)))
        (local.set $i (local.get $to))
        (br $chunks)))
    (local.get $pos))

  ;; render's loop over the regions at [q, end), writing from `pos`; returns the position after them.
  ;; (lines, marker and section written out: no call per piece)
  (func $renderSome (param $q i32) (param $end i32) (param $pos i32) (param $write i32) (result i32)
    (local $kind i32) (local $s i32) (local $n i32) (local $c i32)
    (block $done
      (loop $regions
        (br_if $done (i32.ge_u (local.get $q) (local.get $end)))
        (local.set $kind (i32.load (local.get $q)))
        (block $next
          (if (i32.eqz (local.get $kind))
            (then
              (local.set $s (i32.add (i32.load (i32.const 0)) (i32.load (i32.add (i32.load (i32.const 4)) (i32.shl (i32.load offset=4 (local.get $q)) (i32.const 2))))))
              (local.set $n (i32.sub (i32.add (i32.load (i32.const 0)) (i32.load (i32.add (i32.load (i32.const 4)) (i32.shl (i32.load offset=8 (local.get $q)) (i32.const 2))))) (local.get $s)))
              (if (local.get $write) (then (memory.copy (local.get $pos) (local.get $s) (local.get $n))))
              (local.set $pos (i32.add (local.get $pos) (local.get $n)))
              (br $next)))
          (if (i32.eq (local.get $kind) (i32.const 2))
            (then
              (local.set $s (i32.add (i32.load (i32.const 16)) (i32.load (i32.add (i32.load (i32.const 20)) (i32.shl (i32.load offset=20 (local.get $q)) (i32.const 2))))))
              (local.set $n (i32.sub (i32.add (i32.load (i32.const 16)) (i32.load (i32.add (i32.load (i32.const 20)) (i32.shl (i32.load offset=24 (local.get $q)) (i32.const 2))))) (local.get $s)))
              (if (local.get $write) (then (memory.copy (local.get $pos) (local.get $s) (local.get $n))))
              (local.set $pos (i32.add (local.get $pos) (local.get $n)))
              (br $next)))
          (if (i32.ne (local.get $kind) (i32.const 4))
            (then
              (local.set $s (i32.add (i32.load (i32.const 8)) (i32.load (i32.add (i32.load (i32.const 12)) (i32.shl (i32.load offset=12 (local.get $q)) (i32.const 2))))))
              (local.set $n (i32.sub (i32.add (i32.load (i32.const 8)) (i32.load (i32.add (i32.load (i32.const 12)) (i32.shl (i32.load offset=16 (local.get $q)) (i32.const 2))))) (local.get $s)))
              (if (local.get $write) (then (memory.copy (local.get $pos) (local.get $s) (local.get $n))))
              (local.set $pos (i32.add (local.get $pos) (local.get $n)))
              (br $next)))
          (local.set $n (i32.load (i32.const 28)))
          (if (local.get $write) (then (memory.copy (local.get $pos) (i32.load (i32.const 24)) (local.get $n))))
          (local.set $pos (i32.add (local.get $pos) (local.get $n)))
          (local.set $s (i32.add (i32.load (i32.const 8)) (i32.load (i32.add (i32.load (i32.const 12)) (i32.shl (i32.load offset=12 (local.get $q)) (i32.const 2))))))
          (local.set $n (i32.sub (i32.add (i32.load (i32.const 8)) (i32.load (i32.add (i32.load (i32.const 12)) (i32.shl (i32.load offset=16 (local.get $q)) (i32.const 2))))) (local.get $s)))
          (if (local.get $write) (then (memory.copy (local.get $pos) (local.get $s) (local.get $n))))
          (local.set $pos (i32.add (local.get $pos) (local.get $n)))
          (if (i32.ne (i32.load offset=12 (local.get $q)) (i32.load offset=16 (local.get $q)))
            (then
              (local.set $c (i32.load8_u (i32.sub (i32.add (local.get $s) (local.get $n)) (i32.const 1))))
              (if (i32.and (i32.ne (local.get $c) (i32.const 0x0a)) (i32.ne (local.get $c) (i32.const 0x0d)))
                (then
                  (local.set $n (i32.load (i32.const 60)))
                  (if (local.get $write) (then (memory.copy (local.get $pos) (i32.load (i32.const 56)) (local.get $n))))
                  (local.set $pos (i32.add (local.get $pos) (local.get $n)))))))
          (if (i32.load (i32.const 36))
            (then
              (local.set $n (i32.load (i32.const 36)))
              (if (local.get $write) (then (memory.copy (local.get $pos) (i32.load (i32.const 32)) (local.get $n))))
              (local.set $pos (i32.add (local.get $pos) (local.get $n)))
              (local.set $s (i32.add (i32.load (i32.const 0)) (i32.load (i32.add (i32.load (i32.const 4)) (i32.shl (i32.load offset=4 (local.get $q)) (i32.const 2))))))
              (local.set $n (i32.sub (i32.add (i32.load (i32.const 0)) (i32.load (i32.add (i32.load (i32.const 4)) (i32.shl (i32.load offset=8 (local.get $q)) (i32.const 2))))) (local.get $s)))
              (if (local.get $write) (then (memory.copy (local.get $pos) (local.get $s) (local.get $n))))
              (local.set $pos (i32.add (local.get $pos) (local.get $n)))
              (if (i32.ne (i32.load offset=4 (local.get $q)) (i32.load offset=8 (local.get $q)))
                (then
                  (local.set $c (i32.load8_u (i32.sub (i32.add (local.get $s) (local.get $n)) (i32.const 1))))
                  (if (i32.and (i32.ne (local.get $c) (i32.const 0x0a)) (i32.ne (local.get $c) (i32.const 0x0d)))
                    (then
                      (local.set $n (i32.load (i32.const 60)))
                      (if (local.get $write) (then (memory.copy (local.get $pos) (i32.load (i32.const 56)) (local.get $n))))
                      (local.set $pos (i32.add (local.get $pos) (local.get $n)))))))))
          (local.set $n (i32.load (i32.const 44)))
          (if (local.get $write) (then (memory.copy (local.get $pos) (i32.load (i32.const 40)) (local.get $n))))
          (local.set $pos (i32.add (local.get $pos) (local.get $n)))
          (local.set $s (i32.add (i32.load (i32.const 16)) (i32.load (i32.add (i32.load (i32.const 20)) (i32.shl (i32.load offset=20 (local.get $q)) (i32.const 2))))))
          (local.set $n (i32.sub (i32.add (i32.load (i32.const 16)) (i32.load (i32.add (i32.load (i32.const 20)) (i32.shl (i32.load offset=24 (local.get $q)) (i32.const 2))))) (local.get $s)))
          (if (local.get $write) (then (memory.copy (local.get $pos) (local.get $s) (local.get $n))))
          (local.set $pos (i32.add (local.get $pos) (local.get $n)))
          (if (i32.ne (i32.load offset=20 (local.get $q)) (i32.load offset=24 (local.get $q)))
            (then
              (local.set $c (i32.load8_u (i32.sub (i32.add (local.get $s) (local.get $n)) (i32.const 1))))
              (if (i32.and (i32.ne (local.get $c) (i32.const 0x0a)) (i32.ne (local.get $c) (i32.const 0x0d)))
                (then
                  (local.set $n (i32.load (i32.const 60)))
                  (if (local.get $write) (then (memory.copy (local.get $pos) (i32.load (i32.const 56)) (local.get $n))))
                  (local.set $pos (i32.add (local.get $pos) (local.get $n)))))))
          (local.set $n (i32.load (i32.const 52)))
          (if (local.get $write) (then (memory.copy (local.get $pos) (i32.load (i32.const 48)) (local.get $n))))
          (local.set $pos (i32.add (local.get $pos) (local.get $n))))
        (local.set $q (i32.add (local.get $q) (i32.const 28)))
        (br $regions)))
    (local.get $pos))

  ;; ---- The diff's passes over whole files (see diffIdsPacked in diff.ts, which this follows
  ;; step for step): ids counted, common ends, lines that cannot match set aside, and after the
  ;; search (compare, below) the changed groups slid and the hunks collected. Lines are ids
  ;; (4 bytes each); `changed` flags are bytes shifted by one (a zero at both ends).

  ;; How many times each id occurs in h[0, n), added to `counts`.
  (func (export "countIds") (param $h i32) (param $n i32) (param $counts i32)
    (local $i i32) (local $to i32)
    (block $done
      (loop $chunks
        (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $to (call $chunkEnd (local.get $i) (local.get $n)))
        (call $countSome (local.get $h) (local.get $i) (local.get $to) (local.get $counts))
        (local.set $i (local.get $to))
        (br $chunks))))

  (func $countSome (param $h i32) (param $i i32) (param $n i32) (param $counts i32)
    (local $a i32)
    (block $done
      (loop $ids
        (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $a (i32.add (local.get $counts) (i32.shl (i32.load (i32.add (local.get $h) (i32.shl (local.get $i) (i32.const 2)))) (i32.const 2))))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $ids))))

  ;; Lines equal at the start of both, at most `lim`.
  (func (export "commonPrefix") (param $ha i32) (param $hb i32) (param $lim i32) (result i32)
    (local $i i32)
    (block $done
      (loop $lines
        (br_if $done (i32.ge_s (local.get $i) (local.get $lim)))
        (br_if $done (i32.ne (i32.load (i32.add (local.get $ha) (i32.shl (local.get $i) (i32.const 2)))) (i32.load (i32.add (local.get $hb) (i32.shl (local.get $i) (i32.const 2))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $lines)))
    (local.get $i))

  ;; Lines equal at the end of both, at most `lim`.
  (func (export "commonSuffix") (param $ha i32) (param $na i32) (param $hb i32) (param $nb i32) (param $lim i32) (result i32)
    (local $i i32)
    (block $done
      (loop $lines
        (br_if $done (i32.ge_s (local.get $i) (local.get $lim)))
        (br_if $done (i32.ne
          (i32.load (i32.add (local.get $ha) (i32.shl (i32.sub (i32.sub (local.get $na) (i32.const 1)) (local.get $i)) (i32.const 2))))
          (i32.load (i32.add (local.get $hb) (i32.shl (i32.sub (i32.sub (local.get $nb) (i32.const 1)) (local.get $i)) (i32.const 2))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $lines)))
    (local.get $i))

  ;; Whether the often-repeated line i sits between runs of unmatchable or repeated lines (both
  ;; non-empty, within 100 lines) in which repeated lines are fewer than a quarter.
  (func $drowned (param $kind i32) (param $i i32) (param $start i32) (param $end i32) (result i32)
    (local $lo i32) (local $hi i32) (local $r i32) (local $k i32) (local $unmatched i32) (local $after i32) (local $repeated i32)
    (local.set $lo (i32.sub (local.get $i) (i32.const 100)))
    (if (i32.lt_s (local.get $lo) (local.get $start)) (then (local.set $lo (local.get $start))))
    (local.set $hi (i32.add (local.get $i) (i32.const 100)))
    (if (i32.gt_s (local.get $hi) (local.get $end)) (then (local.set $hi (local.get $end))))
    (local.set $repeated (i32.const 1))
    (local.set $r (i32.sub (local.get $i) (i32.const 1)))
    (block $back
      (loop $scan
        (br_if $back (i32.lt_s (local.get $r) (local.get $lo)))
        (local.set $k (i32.load8_u (i32.add (local.get $kind) (local.get $r))))
        (br_if $back (i32.eq (local.get $k) (i32.const 1)))
        (if (i32.eqz (local.get $k))
          (then (local.set $unmatched (i32.add (local.get $unmatched) (i32.const 1))))
          (else (local.set $repeated (i32.add (local.get $repeated) (i32.const 1)))))
        (local.set $r (i32.sub (local.get $r) (i32.const 1)))
        (br $scan)))
    (if (i32.eqz (local.get $unmatched)) (then (return (i32.const 0))))
    (local.set $repeated (i32.add (local.get $repeated) (i32.const 1)))
    (local.set $r (i32.add (local.get $i) (i32.const 1)))
    (block $forth
      (loop $scan
        (br_if $forth (i32.gt_s (local.get $r) (local.get $hi)))
        (local.set $k (i32.load8_u (i32.add (local.get $kind) (local.get $r))))
        (br_if $forth (i32.eq (local.get $k) (i32.const 1)))
        (if (i32.eqz (local.get $k))
          (then (local.set $after (i32.add (local.get $after) (i32.const 1))))
          (else (local.set $repeated (i32.add (local.get $repeated) (i32.const 1)))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $scan)))
    (if (i32.eqz (local.get $after)) (then (return (i32.const 0))))
    (local.set $unmatched (i32.add (local.get $unmatched) (local.get $after)))
    (i32.lt_s (i32.shl (local.get $repeated) (i32.const 2)) (i32.add (local.get $repeated) (local.get $unmatched))))

  ;; One side's lines [start, end] classified by their equals on the other side (0 none, 1 some,
  ;; 2 `limit` or more, in `kind`); those kept for the search written to index and id, the others
  ;; flagged changed. Returns how many were kept.
  (func (export "keptSide") (param $h i32) (param $otherCount i32) (param $changed i32) (param $start i32) (param $end i32) (param $limit i32)
      (param $kind i32) (param $index i32) (param $id i32) (result i32)
    (local $i i32) (local $to i32) (local $kept i32)
    (local.set $i (local.get $start))
    (block $done
      (loop $chunks
        (br_if $done (i32.gt_s (local.get $i) (local.get $end)))
        (local.set $to (call $chunkEnd (local.get $i) (i32.add (local.get $end) (i32.const 1))))
        (call $classify (local.get $h) (local.get $otherCount) (local.get $i) (local.get $to) (local.get $limit) (local.get $kind))
        (local.set $i (local.get $to))
        (br $chunks)))
    (local.set $i (local.get $start))
    (block $done
      (loop $chunks
        (br_if $done (i32.gt_s (local.get $i) (local.get $end)))
        (local.set $to (call $chunkEnd (local.get $i) (i32.add (local.get $end) (i32.const 1))))
        (local.set $kept (call $keep (local.get $h) (local.get $kind) (local.get $i) (local.get $to) (local.get $start) (local.get $end)
          (local.get $changed) (local.get $index) (local.get $id) (local.get $kept)))
        (local.set $i (local.get $to))
        (br $chunks)))
    (local.get $kept))

  ;; keptSide's first loop, over lines [i, to).
  (func $classify (param $h i32) (param $otherCount i32) (param $i i32) (param $to i32) (param $limit i32) (param $kind i32)
    (local $n i32)
    (block $done
      (loop $lines
        (br_if $done (i32.ge_s (local.get $i) (local.get $to)))
        (local.set $n (i32.load (i32.add (local.get $otherCount) (i32.shl (i32.load (i32.add (local.get $h) (i32.shl (local.get $i) (i32.const 2)))) (i32.const 2)))))
        (i32.store8 (i32.add (local.get $kind) (local.get $i))
          (if (result i32) (i32.eqz (local.get $n))
            (then (i32.const 0))
            (else (if (result i32) (i32.ge_s (local.get $n) (local.get $limit)) (then (i32.const 2)) (else (i32.const 1))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $lines))))

  ;; keptSide's second loop, over lines [i, to) of [start, end]; returns how many are kept, counting on from `kept`.
  (func $keep (param $h i32) (param $kind i32) (param $i i32) (param $to i32) (param $start i32) (param $end i32)
      (param $changed i32) (param $index i32) (param $id i32) (param $kept i32) (result i32)
    (local $k i32)
    (block $done
      (loop $lines
        (br_if $done (i32.ge_s (local.get $i) (local.get $to)))
        (local.set $k (i32.load8_u (i32.add (local.get $kind) (local.get $i))))
        (if (i32.or (i32.eq (local.get $k) (i32.const 1))
              (i32.and (i32.eq (local.get $k) (i32.const 2)) (i32.eqz (call $drowned (local.get $kind) (local.get $i) (local.get $start) (local.get $end)))))
          (then
            (i32.store (i32.add (local.get $index) (i32.shl (local.get $kept) (i32.const 2))) (local.get $i))
            (i32.store (i32.add (local.get $id) (i32.shl (local.get $kept) (i32.const 2))) (i32.load (i32.add (local.get $h) (i32.shl (local.get $i) (i32.const 2)))))
            (local.set $kept (i32.add (local.get $kept) (i32.const 1))))
          (else (i32.store8 (i32.add (local.get $changed) (i32.add (local.get $i) (i32.const 1))) (i32.const 1))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $lines)))
    (local.get $kept))

  ;; compact's walk (the Compaction class in diff.ts): groups [gs, ge) of changed lines of h and
  ;; their partner groups [os, oe) in the other file.
  (global $gs (mut i32) (i32.const 0))
  (global $ge (mut i32) (i32.const 0))
  (global $os (mut i32) (i32.const 0))
  (global $oe (mut i32) (i32.const 0))

  ;; Slides each group of changed lines of h (n lines) up and then down as far as equal lines
  ;; allow; a group that can move ends at its lowest place, or at the last one where it faces a
  ;; group of changed lines of the other file (m lines).
  (func (export "compact") (param $h i32) (param $n i32) (param $changed i32) (param $other i32) (param $m i32)
    (global.set $gs (i32.const 0))
    (global.set $ge (i32.const 0))
    (global.set $os (i32.const 0))
    (global.set $oe (i32.const 0))
    (block $done
      (loop $run
        (br_if $done (i32.eqz (i32.load8_u (i32.add (local.get $changed) (i32.add (global.get $ge) (i32.const 1))))))
        (global.set $ge (i32.add (global.get $ge) (i32.const 1)))
        (br $run)))
    (block $done
      (loop $run
        (br_if $done (i32.eqz (i32.load8_u (i32.add (local.get $other) (i32.add (global.get $oe) (i32.const 1))))))
        (global.set $oe (i32.add (global.get $oe) (i32.const 1)))
        (br $run)))
    (loop $groups
      (br_if $groups (call $compactGroup (local.get $h) (local.get $n) (local.get $changed) (local.get $other) (local.get $m)))))

  ;; One step of compact's walk: the group [gs, ge) slid, then the next one found; 0 once there is none.
  (func $compactGroup (param $h i32) (param $n i32) (param $changed i32) (param $other i32) (param $m i32) (result i32)
    (local $size i32) (local $earliestEnd i32) (local $endFacingOther i32)
    ;; (slideUp, slideDown, previousOther and nextOther of diff.ts written out where they run)
    (if (i32.ne (global.get $ge) (global.get $gs))
      (then
        (loop $again
          (local.set $size (i32.sub (global.get $ge) (global.get $gs)))
          (local.set $endFacingOther (i32.const -1))
          (block $up
            (loop $slide
              ;; slideUp
              (br_if $up (i32.le_s (global.get $gs) (i32.const 0)))
              (br_if $up (i32.ne (i32.load (i32.add (local.get $h) (i32.shl (i32.sub (global.get $gs) (i32.const 1)) (i32.const 2)))) (i32.load (i32.add (local.get $h) (i32.shl (i32.sub (global.get $ge) (i32.const 1)) (i32.const 2))))))
              (global.set $gs (i32.sub (global.get $gs) (i32.const 1)))
              (i32.store8 (i32.add (local.get $changed) (i32.add (global.get $gs) (i32.const 1))) (i32.const 1))
              (global.set $ge (i32.sub (global.get $ge) (i32.const 1)))
              (i32.store8 (i32.add (local.get $changed) (i32.add (global.get $ge) (i32.const 1))) (i32.const 0))
              (block $upRun
                (loop $run
                  (br_if $upRun (i32.eqz (i32.load8_u (i32.add (local.get $changed) (global.get $gs)))))
                  (global.set $gs (i32.sub (global.get $gs) (i32.const 1)))
                  (br $run)))
              ;; previousOther
              (global.set $oe (i32.sub (global.get $os) (i32.const 1)))
              (global.set $os (global.get $oe))
              (block $prevRun
                (loop $run
                  (br_if $prevRun (i32.eqz (i32.load8_u (i32.add (local.get $other) (global.get $os)))))
                  (global.set $os (i32.sub (global.get $os) (i32.const 1)))
                  (br $run)))
              (br $slide)))
          (local.set $earliestEnd (global.get $ge))
          (if (i32.gt_s (global.get $oe) (global.get $os)) (then (local.set $endFacingOther (global.get $ge))))
          (block $down
            (loop $slide
              ;; slideDown
              (br_if $down (i32.ge_s (global.get $ge) (local.get $n)))
              (br_if $down (i32.ne (i32.load (i32.add (local.get $h) (i32.shl (global.get $gs) (i32.const 2)))) (i32.load (i32.add (local.get $h) (i32.shl (global.get $ge) (i32.const 2))))))
              (i32.store8 (i32.add (local.get $changed) (i32.add (global.get $gs) (i32.const 1))) (i32.const 0))
              (global.set $gs (i32.add (global.get $gs) (i32.const 1)))
              (i32.store8 (i32.add (local.get $changed) (i32.add (global.get $ge) (i32.const 1))) (i32.const 1))
              (global.set $ge (i32.add (global.get $ge) (i32.const 1)))
              (block $downRun
                (loop $run
                  (br_if $downRun (i32.eqz (i32.load8_u (i32.add (local.get $changed) (i32.add (global.get $ge) (i32.const 1))))))
                  (global.set $ge (i32.add (global.get $ge) (i32.const 1)))
                  (br $run)))
              ;; nextOther
              (global.set $os (i32.add (global.get $oe) (i32.const 1)))
              (global.set $oe (global.get $os))
              (block $nextRun
                (loop $run
                  (br_if $nextRun (i32.eqz (i32.load8_u (i32.add (local.get $other) (i32.add (global.get $oe) (i32.const 1))))))
                  (global.set $oe (i32.add (global.get $oe) (i32.const 1)))
                  (br $run)))
              (if (i32.gt_s (global.get $oe) (global.get $os)) (then (local.set $endFacingOther (global.get $ge))))
              (br $slide)))
          (br_if $again (i32.ne (local.get $size) (i32.sub (global.get $ge) (global.get $gs)))))
        (if (i32.and (i32.ne (global.get $ge) (local.get $earliestEnd)) (i32.ne (local.get $endFacingOther) (i32.const -1)))
          (then
            (block $faced
              (loop $back
                (br_if $faced (i32.ne (global.get $oe) (global.get $os)))
                ;; slideUp, whether or not it moves
                (if (i32.gt_s (global.get $gs) (i32.const 0))
                  (then
                    (if (i32.eq (i32.load (i32.add (local.get $h) (i32.shl (i32.sub (global.get $gs) (i32.const 1)) (i32.const 2)))) (i32.load (i32.add (local.get $h) (i32.shl (i32.sub (global.get $ge) (i32.const 1)) (i32.const 2)))))
                      (then
                        (global.set $gs (i32.sub (global.get $gs) (i32.const 1)))
                        (i32.store8 (i32.add (local.get $changed) (i32.add (global.get $gs) (i32.const 1))) (i32.const 1))
                        (global.set $ge (i32.sub (global.get $ge) (i32.const 1)))
                        (i32.store8 (i32.add (local.get $changed) (i32.add (global.get $ge) (i32.const 1))) (i32.const 0))
                        (block $upRun
                          (loop $run
                            (br_if $upRun (i32.eqz (i32.load8_u (i32.add (local.get $changed) (global.get $gs)))))
                            (global.set $gs (i32.sub (global.get $gs) (i32.const 1)))
                            (br $run)))))))
                ;; previousOther
                (global.set $oe (i32.sub (global.get $os) (i32.const 1)))
                (global.set $os (global.get $oe))
                (block $prevRun
                  (loop $run
                    (br_if $prevRun (i32.eqz (i32.load8_u (i32.add (local.get $other) (global.get $os)))))
                    (global.set $os (i32.sub (global.get $os) (i32.const 1)))
                    (br $run)))
                (br $back)))))))
    (if (i32.eq (global.get $ge) (local.get $n)) (then (return (i32.const 0))))
    (global.set $gs (i32.add (global.get $ge) (i32.const 1)))
    (global.set $ge (global.get $gs))
    (block $done
      (loop $run
        (br_if $done (i32.eqz (i32.load8_u (i32.add (local.get $changed) (i32.add (global.get $ge) (i32.const 1))))))
        (global.set $ge (i32.add (global.get $ge) (i32.const 1)))
        (br $run)))
    (if (i32.eq (global.get $oe) (local.get $m)) (then (return (i32.const 0))))
    ;; nextOther
    (global.set $os (i32.add (global.get $oe) (i32.const 1)))
    (global.set $oe (global.get $os))
    (block $nextRun
      (loop $run
        (br_if $nextRun (i32.eqz (i32.load8_u (i32.add (local.get $other) (i32.add (global.get $oe) (i32.const 1))))))
        (global.set $oe (i32.add (global.get $oe) (i32.const 1)))
        (br $run)))
    (i32.const 1))

  ;; The hunks from both files' changed flags (n and m lines), four numbers each into `out`;
  ;; returns how many numbers.
  (func (export "collectHunks") (param $changedA i32) (param $changedB i32) (param $n i32) (param $m i32) (param $out i32) (result i32)
    (local $i i32) (local $j i32) (local $q i32)
    (local.set $q (local.get $out))
    (block $done
      (loop $walk
        (br_if $done (i32.and (i32.ge_s (local.get $i) (local.get $n)) (i32.ge_s (local.get $j) (local.get $m))))
        (if (i32.and (i32.and (i32.lt_s (local.get $i) (local.get $n)) (i32.lt_s (local.get $j) (local.get $m)))
              (i32.and (i32.eqz (i32.load8_u (i32.add (local.get $changedA) (i32.add (local.get $i) (i32.const 1)))))
                       (i32.eqz (i32.load8_u (i32.add (local.get $changedB) (i32.add (local.get $j) (i32.const 1)))))))
          (then
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $walk)))
        (i32.store (local.get $q) (local.get $i))
        (i32.store offset=8 (local.get $q) (local.get $j))
        (block $a
          (loop $run
            (br_if $a (i32.ge_s (local.get $i) (local.get $n)))
            (br_if $a (i32.eqz (i32.load8_u (i32.add (local.get $changedA) (i32.add (local.get $i) (i32.const 1))))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $run)))
        (block $b
          (loop $run
            (br_if $b (i32.ge_s (local.get $j) (local.get $m)))
            (br_if $b (i32.eqz (i32.load8_u (i32.add (local.get $changedB) (i32.add (local.get $j) (i32.const 1))))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $run)))
        (i32.store offset=4 (local.get $q) (local.get $i))
        (i32.store offset=12 (local.get $q) (local.get $j))
        (local.set $q (i32.add (local.get $q) (i32.const 16)))
        (br $walk)))
    (i32.shr_u (i32.sub (local.get $q) (local.get $out)) (i32.const 2)))

  ;; ---- The search between (compare, split, promisingCut, furthestCut in diff.ts, step for step):
  ;; Myers' middle snake on the kept lines, boxes cut in two until each is one-sided. `a` and `b`
  ;; are the kept lines' ids, `aIdx` and `bIdx` their line numbers; fwd and bwd are indexed by
  ;; diagonal plus `offset`, zeroed, and reused from box to box as diff.ts reuses its arrays; the
  ;; work list needs no zeroing.

  (func $abs (param $v i32) (result i32)
    (if (result i32) (i32.lt_s (local.get $v) (i32.const 0)) (then (i32.sub (i32.const 0) (local.get $v))) (else (local.get $v))))

  ;; Where split cut its box, and whether each half must be searched without shortcuts.
  (global $sx (mut i32) (i32.const 0))
  (global $sy (mut i32) (i32.const 0))
  (global $sLow (mut i32) (i32.const 0))
  (global $sHigh (mut i32) (i32.const 0))

  (func $cut (param $x i32) (param $y i32) (param $low i32) (param $high i32)
    (global.set $sx (local.get $x))
    (global.set $sy (local.get $y))
    (global.set $sLow (local.get $low))
    (global.set $sHigh (local.get $high)))

  ;; Integer approximation of the square root by shifts (roughSqrt).
  (func $roughSqrt (param $n i32) (result i32)
    (local $r i32)
    (local.set $r (i32.const 1))
    (block $done
      (loop $quarters
        (br_if $done (i32.le_s (local.get $n) (i32.const 0)))
        (local.set $r (i32.shl (local.get $r) (i32.const 1)))
        (local.set $n (i32.div_u (local.get $n) (i32.const 4)))
        (br $quarters)))
    (local.get $r))

  ;; The first byte past compare's work list at its longest (it grows the memory as it needs).
  (global $stackEnd (export "stackEnd") (mut i32) (i32.const 0))

  ;; The work list lies last in the memory, which compare grows when two more boxes do not fit
  ;; (a megabyte at a time beyond what they need): most searches keep it short, and room for the
  ;; longest it could be (two boxes per line) would count against V8's external memory limit.
  (func (export "compare") (param $a i32) (param $aIdx i32) (param $na i32) (param $b i32) (param $bIdx i32) (param $nb i32)
      (param $changedA i32) (param $changedB i32) (param $fwd i32) (param $bwd i32) (param $stack i32)
    (local $offset i32) (local $maxCost i32) (local $sp i32) (local $aLo i32) (local $aHi i32) (local $bLo i32) (local $bHi i32) (local $minimal i32) (local $i i32)
    (local $need i32) (local $have i32)
    (local.set $offset (i32.add (local.get $nb) (i32.const 1)))
    (local.set $maxCost (call $roughSqrt (i32.add (i32.add (local.get $na) (local.get $nb)) (i32.const 3))))
    (if (i32.lt_s (local.get $maxCost) (i32.const 256)) (then (local.set $maxCost (i32.const 256))))
    ;; The work list: boxes of five numbers (aLo, aHi, bLo, bHi, minimal), last in first out.
    (i32.store (i32.add (local.get $stack) (i32.shl (i32.const 0) (i32.const 2))) (i32.const 0))
    (i32.store (i32.add (local.get $stack) (i32.shl (i32.const 1) (i32.const 2))) (local.get $na))
    (i32.store (i32.add (local.get $stack) (i32.shl (i32.const 2) (i32.const 2))) (i32.const 0))
    (i32.store (i32.add (local.get $stack) (i32.shl (i32.const 3) (i32.const 2))) (local.get $nb))
    (i32.store (i32.add (local.get $stack) (i32.shl (i32.const 4) (i32.const 2))) (i32.const 0))
    (local.set $sp (i32.const 1))
    (global.set $stackEnd (i32.add (local.get $stack) (i32.const 20)))
    (block $done
      (loop $boxes
        (br_if $done (i32.eqz (local.get $sp)))
        (local.set $sp (i32.sub (local.get $sp) (i32.const 1)))
        (local.set $i (i32.mul (local.get $sp) (i32.const 5)))
        (local.set $aLo (i32.load (i32.add (local.get $stack) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $aHi (i32.load (i32.add (local.get $stack) (i32.shl (i32.add (local.get $i) (i32.const 1)) (i32.const 2)))))
        (local.set $bLo (i32.load (i32.add (local.get $stack) (i32.shl (i32.add (local.get $i) (i32.const 2)) (i32.const 2)))))
        (local.set $bHi (i32.load (i32.add (local.get $stack) (i32.shl (i32.add (local.get $i) (i32.const 3)) (i32.const 2)))))
        (local.set $minimal (i32.load (i32.add (local.get $stack) (i32.shl (i32.add (local.get $i) (i32.const 4)) (i32.const 2)))))
        (block $trimmed
          (loop $head
            (br_if $trimmed (i32.ge_s (local.get $aLo) (local.get $aHi)))
            (br_if $trimmed (i32.ge_s (local.get $bLo) (local.get $bHi)))
            (br_if $trimmed (i32.ne (i32.load (i32.add (local.get $a) (i32.shl (local.get $aLo) (i32.const 2)))) (i32.load (i32.add (local.get $b) (i32.shl (local.get $bLo) (i32.const 2))))))
            (local.set $aLo (i32.add (local.get $aLo) (i32.const 1)))
            (local.set $bLo (i32.add (local.get $bLo) (i32.const 1)))
            (br $head)))
        (block $trimmed
          (loop $tail
            (br_if $trimmed (i32.ge_s (local.get $aLo) (local.get $aHi)))
            (br_if $trimmed (i32.ge_s (local.get $bLo) (local.get $bHi)))
            (br_if $trimmed (i32.ne (i32.load (i32.add (local.get $a) (i32.shl (i32.sub (local.get $aHi) (i32.const 1)) (i32.const 2)))) (i32.load (i32.add (local.get $b) (i32.shl (i32.sub (local.get $bHi) (i32.const 1)) (i32.const 2))))))
            (local.set $aHi (i32.sub (local.get $aHi) (i32.const 1)))
            (local.set $bHi (i32.sub (local.get $bHi) (i32.const 1)))
            (br $tail)))
        (if (i32.eq (local.get $aLo) (local.get $aHi))
          (then
            (local.set $i (local.get $bLo))
            (block $marked
              (loop $mark
                (br_if $marked (i32.ge_s (local.get $i) (local.get $bHi)))
                (i32.store8 (i32.add (local.get $changedB) (i32.add (i32.load (i32.add (local.get $bIdx) (i32.shl (local.get $i) (i32.const 2)))) (i32.const 1))) (i32.const 1))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $mark)))
            (br $boxes)))
        (if (i32.eq (local.get $bLo) (local.get $bHi))
          (then
            (local.set $i (local.get $aLo))
            (block $marked
              (loop $mark
                (br_if $marked (i32.ge_s (local.get $i) (local.get $aHi)))
                (i32.store8 (i32.add (local.get $changedA) (i32.add (i32.load (i32.add (local.get $aIdx) (i32.shl (local.get $i) (i32.const 2)))) (i32.const 1))) (i32.const 1))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $mark)))
            (br $boxes)))
        (call $split (local.get $a) (local.get $aLo) (local.get $aHi) (local.get $b) (local.get $bLo) (local.get $bHi)
          (local.get $fwd) (local.get $bwd) (local.get $offset) (local.get $minimal) (local.get $maxCost))
        (local.set $need (i32.add (local.get $stack) (i32.mul (i32.add (local.get $sp) (i32.const 2)) (i32.const 20))))
        (if (i32.gt_u (local.get $need) (global.get $stackEnd))
          (then
            (global.set $stackEnd (local.get $need))
            (local.set $have (i32.shl (memory.size) (i32.const 16)))
            (if (i32.gt_u (local.get $need) (local.get $have))
              (then
                (if (i32.lt_s (memory.grow (i32.add (i32.shr_u (i32.sub (local.get $need) (local.get $have)) (i32.const 16)) (i32.const 16))) (i32.const 0))
                  (then unreachable))))))
        (local.set $i (i32.mul (local.get $sp) (i32.const 5)))
        (i32.store (i32.add (local.get $stack) (i32.shl (local.get $i) (i32.const 2))) (local.get $aLo))
        (i32.store (i32.add (local.get $stack) (i32.shl (i32.add (local.get $i) (i32.const 1)) (i32.const 2))) (global.get $sx))
        (i32.store (i32.add (local.get $stack) (i32.shl (i32.add (local.get $i) (i32.const 2)) (i32.const 2))) (local.get $bLo))
        (i32.store (i32.add (local.get $stack) (i32.shl (i32.add (local.get $i) (i32.const 3)) (i32.const 2))) (global.get $sy))
        (i32.store (i32.add (local.get $stack) (i32.shl (i32.add (local.get $i) (i32.const 4)) (i32.const 2))) (global.get $sLow))
        (i32.store (i32.add (local.get $stack) (i32.shl (i32.add (local.get $i) (i32.const 5)) (i32.const 2))) (global.get $sx))
        (i32.store (i32.add (local.get $stack) (i32.shl (i32.add (local.get $i) (i32.const 6)) (i32.const 2))) (local.get $aHi))
        (i32.store (i32.add (local.get $stack) (i32.shl (i32.add (local.get $i) (i32.const 7)) (i32.const 2))) (global.get $sy))
        (i32.store (i32.add (local.get $stack) (i32.shl (i32.add (local.get $i) (i32.const 8)) (i32.const 2))) (local.get $bHi))
        (i32.store (i32.add (local.get $stack) (i32.shl (i32.add (local.get $i) (i32.const 9)) (i32.const 2))) (global.get $sHigh))
        (local.set $sp (i32.add (local.get $sp) (i32.const 2)))
        (br $boxes))))

  (func $split (param $a i32) (param $aLo i32) (param $aHi i32) (param $b i32) (param $bLo i32) (param $bHi i32)
      (param $fwd i32) (param $bwd i32) (param $offset i32) (param $minimal i32) (param $maxCost i32)
    (local $dMin i32) (local $dMax i32) (local $fMid i32) (local $bMid i32) (local $odd i32)
    (local $fMin i32) (local $fMax i32) (local $bMin i32) (local $bMax i32) (local $cost i32) (local $longSnake i32)
    (local $d i32) (local $k i32) (local $x i32) (local $x0 i32) (local $y i32) (local $lo i32) (local $hi i32)
    (local.set $dMin (i32.sub (local.get $aLo) (local.get $bHi)))
    (local.set $dMax (i32.sub (local.get $aHi) (local.get $bLo)))
    (local.set $fMid (i32.sub (local.get $aLo) (local.get $bLo)))
    (local.set $bMid (i32.sub (local.get $aHi) (local.get $bHi)))
    (local.set $odd (i32.and (i32.sub (local.get $fMid) (local.get $bMid)) (i32.const 1)))
    (local.set $fMin (local.get $fMid))
    (local.set $fMax (local.get $fMid))
    (local.set $bMin (local.get $bMid))
    (local.set $bMax (local.get $bMid))
    (i32.store (i32.add (local.get $fwd) (i32.shl (i32.add (local.get $fMid) (local.get $offset)) (i32.const 2))) (local.get $aLo))
    (i32.store (i32.add (local.get $bwd) (i32.shl (i32.add (local.get $bMid) (local.get $offset)) (i32.const 2))) (local.get $aHi))
    (local.set $cost (i32.const 1))
    (loop $costs
      (local.set $longSnake (i32.const 0))
      ;; Widen the range of diagonals by one at each end that is still inside the box.
      (if (i32.gt_s (local.get $fMin) (local.get $dMin))
        (then
          (local.set $fMin (i32.sub (local.get $fMin) (i32.const 1)))
          (i32.store (i32.add (local.get $fwd) (i32.shl (i32.add (i32.sub (local.get $fMin) (i32.const 1)) (local.get $offset)) (i32.const 2))) (i32.const -1)))
        (else (local.set $fMin (i32.add (local.get $fMin) (i32.const 1)))))
      (if (i32.lt_s (local.get $fMax) (local.get $dMax))
        (then
          (local.set $fMax (i32.add (local.get $fMax) (i32.const 1)))
          (i32.store (i32.add (local.get $fwd) (i32.shl (i32.add (i32.add (local.get $fMax) (i32.const 1)) (local.get $offset)) (i32.const 2))) (i32.const -1)))
        (else (local.set $fMax (i32.sub (local.get $fMax) (i32.const 1)))))
      (local.set $d (local.get $fMax))
      (block $forwardDone
        (loop $forward
          (br_if $forwardDone (i32.lt_s (local.get $d) (local.get $fMin)))
          (local.set $k (i32.add (local.get $d) (local.get $offset)))
          (local.set $lo (i32.load (i32.add (local.get $fwd) (i32.shl (i32.sub (local.get $k) (i32.const 1)) (i32.const 2)))))
          (local.set $hi (i32.load (i32.add (local.get $fwd) (i32.shl (i32.add (local.get $k) (i32.const 1)) (i32.const 2)))))
          (local.set $x (if (result i32) (i32.ge_s (local.get $lo) (local.get $hi)) (then (i32.add (local.get $lo) (i32.const 1))) (else (local.get $hi))))
          (local.set $x0 (local.get $x))
          (local.set $y (i32.sub (local.get $x) (local.get $d)))
          (block $snakeDone
            (loop $snake
              (br_if $snakeDone (i32.ge_s (local.get $x) (local.get $aHi)))
              (br_if $snakeDone (i32.ge_s (local.get $y) (local.get $bHi)))
              (br_if $snakeDone (i32.ne (i32.load (i32.add (local.get $a) (i32.shl (local.get $x) (i32.const 2)))) (i32.load (i32.add (local.get $b) (i32.shl (local.get $y) (i32.const 2))))))
              (local.set $x (i32.add (local.get $x) (i32.const 1)))
              (local.set $y (i32.add (local.get $y) (i32.const 1)))
              (br $snake)))
          (if (i32.gt_s (i32.sub (local.get $x) (local.get $x0)) (i32.const 20)) (then (local.set $longSnake (i32.const 1))))
          (i32.store (i32.add (local.get $fwd) (i32.shl (local.get $k) (i32.const 2))) (local.get $x))
          (if (local.get $odd)
            (then
              (if (i32.and (i32.and (i32.le_s (local.get $bMin) (local.get $d)) (i32.le_s (local.get $d) (local.get $bMax)))
                    (i32.le_s (i32.load (i32.add (local.get $bwd) (i32.shl (local.get $k) (i32.const 2)))) (local.get $x)))
                (then
                  (call $cut (local.get $x) (local.get $y) (i32.const 1) (i32.const 1))
                  (return)))))
          (local.set $d (i32.sub (local.get $d) (i32.const 2)))
          (br $forward)))
      (if (i32.gt_s (local.get $bMin) (local.get $dMin))
        (then
          (local.set $bMin (i32.sub (local.get $bMin) (i32.const 1)))
          (i32.store (i32.add (local.get $bwd) (i32.shl (i32.add (i32.sub (local.get $bMin) (i32.const 1)) (local.get $offset)) (i32.const 2))) (i32.const 0x3fffffff)))
        (else (local.set $bMin (i32.add (local.get $bMin) (i32.const 1)))))
      (if (i32.lt_s (local.get $bMax) (local.get $dMax))
        (then
          (local.set $bMax (i32.add (local.get $bMax) (i32.const 1)))
          (i32.store (i32.add (local.get $bwd) (i32.shl (i32.add (i32.add (local.get $bMax) (i32.const 1)) (local.get $offset)) (i32.const 2))) (i32.const 0x3fffffff)))
        (else (local.set $bMax (i32.sub (local.get $bMax) (i32.const 1)))))
      (local.set $d (local.get $bMax))
      (block $backwardDone
        (loop $backward
          (br_if $backwardDone (i32.lt_s (local.get $d) (local.get $bMin)))
          (local.set $k (i32.add (local.get $d) (local.get $offset)))
          (local.set $lo (i32.load (i32.add (local.get $bwd) (i32.shl (i32.sub (local.get $k) (i32.const 1)) (i32.const 2)))))
          (local.set $hi (i32.load (i32.add (local.get $bwd) (i32.shl (i32.add (local.get $k) (i32.const 1)) (i32.const 2)))))
          (local.set $x (if (result i32) (i32.lt_s (local.get $lo) (local.get $hi)) (then (local.get $lo)) (else (i32.sub (local.get $hi) (i32.const 1)))))
          (local.set $x0 (local.get $x))
          (local.set $y (i32.sub (local.get $x) (local.get $d)))
          (block $snakeDone
            (loop $snake
              (br_if $snakeDone (i32.le_s (local.get $x) (local.get $aLo)))
              (br_if $snakeDone (i32.le_s (local.get $y) (local.get $bLo)))
              (br_if $snakeDone (i32.ne (i32.load (i32.add (local.get $a) (i32.shl (i32.sub (local.get $x) (i32.const 1)) (i32.const 2)))) (i32.load (i32.add (local.get $b) (i32.shl (i32.sub (local.get $y) (i32.const 1)) (i32.const 2))))))
              (local.set $x (i32.sub (local.get $x) (i32.const 1)))
              (local.set $y (i32.sub (local.get $y) (i32.const 1)))
              (br $snake)))
          (if (i32.gt_s (i32.sub (local.get $x0) (local.get $x)) (i32.const 20)) (then (local.set $longSnake (i32.const 1))))
          (i32.store (i32.add (local.get $bwd) (i32.shl (local.get $k) (i32.const 2))) (local.get $x))
          (if (i32.eqz (local.get $odd))
            (then
              (if (i32.and (i32.and (i32.le_s (local.get $fMin) (local.get $d)) (i32.le_s (local.get $d) (local.get $fMax)))
                    (i32.le_s (local.get $x) (i32.load (i32.add (local.get $fwd) (i32.shl (local.get $k) (i32.const 2))))))
                (then
                  (call $cut (local.get $x) (local.get $y) (i32.const 1) (i32.const 1))
                  (return)))))
          (local.set $d (i32.sub (local.get $d) (i32.const 2)))
          (br $backward)))
      (if (i32.eqz (local.get $minimal))
        (then
          (if (i32.and (local.get $longSnake) (i32.gt_s (local.get $cost) (i32.const 256)))
            (then
              (if (call $promisingCut (local.get $a) (local.get $aLo) (local.get $aHi) (local.get $b) (local.get $bLo) (local.get $bHi)
                    (local.get $fwd) (local.get $bwd) (local.get $offset) (local.get $cost)
                    (local.get $fMin) (local.get $fMax) (local.get $fMid) (local.get $bMin) (local.get $bMax) (local.get $bMid))
                (then (return)))))
          (if (i32.ge_s (local.get $cost) (local.get $maxCost))
            (then
              (call $furthestCut (local.get $aLo) (local.get $aHi) (local.get $bLo) (local.get $bHi) (local.get $fwd) (local.get $bwd) (local.get $offset)
                (local.get $fMin) (local.get $fMax) (local.get $bMin) (local.get $bMax))
              (return)))))
      (local.set $cost (i32.add (local.get $cost) (i32.const 1)))
      (br $costs)))

  ;; A point far from its corner, near the middle diagonal, at the end (forward) or start
  ;; (backward) of a run of 20 equal lines; the forward search preferred. 1 when found (see $cut).
  (func $promisingCut (param $a i32) (param $aLo i32) (param $aHi i32) (param $b i32) (param $bLo i32) (param $bHi i32)
      (param $fwd i32) (param $bwd i32) (param $offset i32) (param $cost i32)
      (param $fMin i32) (param $fMax i32) (param $fMid i32) (param $bMin i32) (param $bMax i32) (param $bMid i32) (result i32)
    (local $best i32) (local $found i32) (local $d i32) (local $x i32) (local $y i32) (local $v i32) (local $k i32)
    (local.set $d (local.get $fMax))
    (block $forwardDone
      (loop $forward
        (br_if $forwardDone (i32.lt_s (local.get $d) (local.get $fMin)))
        (local.set $x (i32.load (i32.add (local.get $fwd) (i32.shl (i32.add (local.get $d) (local.get $offset)) (i32.const 2)))))
        (local.set $y (i32.sub (local.get $x) (local.get $d)))
        (local.set $v (i32.sub (i32.add (i32.sub (local.get $x) (local.get $aLo)) (i32.sub (local.get $y) (local.get $bLo))) (call $abs (i32.sub (local.get $d) (local.get $fMid)))))
        (if (i32.and
              (i32.and (i32.gt_s (local.get $v) (i32.shl (local.get $cost) (i32.const 2))) (i32.gt_s (local.get $v) (local.get $best)))
              (i32.and
                (i32.and (i32.le_s (i32.add (local.get $aLo) (i32.const 20)) (local.get $x)) (i32.lt_s (local.get $x) (local.get $aHi)))
                (i32.and (i32.le_s (i32.add (local.get $bLo) (i32.const 20)) (local.get $y)) (i32.lt_s (local.get $y) (local.get $bHi)))))
          (then
            (local.set $k (i32.const 1))
            (block $runDone
              (loop $run
                (br_if $runDone (i32.ge_s (local.get $k) (i32.const 20)))
                (br_if $runDone (i32.ne (i32.load (i32.add (local.get $a) (i32.shl (i32.sub (local.get $x) (local.get $k)) (i32.const 2)))) (i32.load (i32.add (local.get $b) (i32.shl (i32.sub (local.get $y) (local.get $k)) (i32.const 2))))))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $run)))
            (if (i32.eq (local.get $k) (i32.const 20))
              (then
                (if (i32.eq (i32.load (i32.add (local.get $a) (i32.shl (i32.sub (local.get $x) (local.get $k)) (i32.const 2)))) (i32.load (i32.add (local.get $b) (i32.shl (i32.sub (local.get $y) (local.get $k)) (i32.const 2)))))
                  (then
                    (local.set $best (local.get $v))
                    (local.set $found (i32.const 1))
                    (call $cut (local.get $x) (local.get $y) (i32.const 1) (i32.const 0))))))))
        (local.set $d (i32.sub (local.get $d) (i32.const 2)))
        (br $forward)))
    (if (local.get $found) (then (return (i32.const 1))))
    (local.set $d (local.get $bMax))
    (block $backwardDone
      (loop $backward
        (br_if $backwardDone (i32.lt_s (local.get $d) (local.get $bMin)))
        (local.set $x (i32.load (i32.add (local.get $bwd) (i32.shl (i32.add (local.get $d) (local.get $offset)) (i32.const 2)))))
        (local.set $y (i32.sub (local.get $x) (local.get $d)))
        (local.set $v (i32.sub (i32.add (i32.sub (local.get $aHi) (local.get $x)) (i32.sub (local.get $bHi) (local.get $y))) (call $abs (i32.sub (local.get $d) (local.get $bMid)))))
        (if (i32.and
              (i32.and (i32.gt_s (local.get $v) (i32.shl (local.get $cost) (i32.const 2))) (i32.gt_s (local.get $v) (local.get $best)))
              (i32.and
                (i32.and (i32.lt_s (local.get $aLo) (local.get $x)) (i32.le_s (local.get $x) (i32.sub (local.get $aHi) (i32.const 20))))
                (i32.and (i32.lt_s (local.get $bLo) (local.get $y)) (i32.le_s (local.get $y) (i32.sub (local.get $bHi) (i32.const 20))))))
          (then
            (local.set $k (i32.const 0))
            (block $runDone
              (loop $run
                (br_if $runDone (i32.ge_s (local.get $k) (i32.const 19)))
                (br_if $runDone (i32.ne (i32.load (i32.add (local.get $a) (i32.shl (i32.add (local.get $x) (local.get $k)) (i32.const 2)))) (i32.load (i32.add (local.get $b) (i32.shl (i32.add (local.get $y) (local.get $k)) (i32.const 2))))))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $run)))
            (if (i32.eq (local.get $k) (i32.const 19))
              (then
                (if (i32.eq (i32.load (i32.add (local.get $a) (i32.shl (i32.add (local.get $x) (local.get $k)) (i32.const 2)))) (i32.load (i32.add (local.get $b) (i32.shl (i32.add (local.get $y) (local.get $k)) (i32.const 2)))))
                  (then
                    (local.set $best (local.get $v))
                    (local.set $found (i32.const 1))
                    (call $cut (local.get $x) (local.get $y) (i32.const 0) (i32.const 1))))))))
        (local.set $d (i32.sub (local.get $d) (i32.const 2)))
        (br $backward)))
    (local.get $found))

  ;; The cut at whichever search got furthest (by x + y) from its corner (see $cut).
  (func $furthestCut (param $aLo i32) (param $aHi i32) (param $bLo i32) (param $bHi i32) (param $fwd i32) (param $bwd i32) (param $offset i32)
      (param $fMin i32) (param $fMax i32) (param $bMin i32) (param $bMax i32)
    (local $fBest i32) (local $fX i32) (local $bBest i32) (local $bX i32) (local $d i32) (local $x i32) (local $y i32)
    (local.set $fBest (i32.const -1))
    (local.set $fX (i32.const -1))
    (local.set $d (local.get $fMax))
    (block $forwardDone
      (loop $forward
        (br_if $forwardDone (i32.lt_s (local.get $d) (local.get $fMin)))
        (local.set $x (i32.load (i32.add (local.get $fwd) (i32.shl (i32.add (local.get $d) (local.get $offset)) (i32.const 2)))))
        (if (i32.gt_s (local.get $x) (local.get $aHi)) (then (local.set $x (local.get $aHi))))
        (local.set $y (i32.sub (local.get $x) (local.get $d)))
        (if (i32.lt_s (local.get $bHi) (local.get $y))
          (then
            (local.set $x (i32.add (local.get $bHi) (local.get $d)))
            (local.set $y (local.get $bHi))))
        (if (i32.lt_s (local.get $fBest) (i32.add (local.get $x) (local.get $y)))
          (then
            (local.set $fBest (i32.add (local.get $x) (local.get $y)))
            (local.set $fX (local.get $x))))
        (local.set $d (i32.sub (local.get $d) (i32.const 2)))
        (br $forward)))
    (local.set $bBest (i32.const 0x3fffffff))
    (local.set $bX (i32.const 0x3fffffff))
    (local.set $d (local.get $bMax))
    (block $backwardDone
      (loop $backward
        (br_if $backwardDone (i32.lt_s (local.get $d) (local.get $bMin)))
        (local.set $x (i32.load (i32.add (local.get $bwd) (i32.shl (i32.add (local.get $d) (local.get $offset)) (i32.const 2)))))
        (if (i32.lt_s (local.get $x) (local.get $aLo)) (then (local.set $x (local.get $aLo))))
        (local.set $y (i32.sub (local.get $x) (local.get $d)))
        (if (i32.lt_s (local.get $y) (local.get $bLo))
          (then
            (local.set $x (i32.add (local.get $bLo) (local.get $d)))
            (local.set $y (local.get $bLo))))
        (if (i32.lt_s (i32.add (local.get $x) (local.get $y)) (local.get $bBest))
          (then
            (local.set $bBest (i32.add (local.get $x) (local.get $y)))
            (local.set $bX (local.get $x))))
        (local.set $d (i32.sub (local.get $d) (i32.const 2)))
        (br $backward)))
    (if (i32.lt_s (i32.sub (i32.add (local.get $aHi) (local.get $bHi)) (local.get $bBest)) (i32.sub (local.get $fBest) (i32.add (local.get $aLo) (local.get $bLo))))
      (then (call $cut (local.get $fX) (i32.sub (local.get $fBest) (local.get $fX)) (i32.const 1) (i32.const 0)))
      (else (call $cut (local.get $bX) (i32.sub (local.get $bBest) (local.get $bX)) (i32.const 0) (i32.const 1)))))
)
