export { isBinary } from './binary.js';
export { diff, formatHunk, unifiedDiff, type Hunk, type HunkLine, type UnifiedDiffOptions } from './diff.js';
export { detectEol, hasEol, splitLfLines, splitLines, type Eol } from './lines.js';
export {
  merge3,
  merge3Bytes,
  mergeKeepingOurs,
  rejectFile,
  type MergeBytesResult,
  type MergeLabels,
  type MergeOptions,
  type MergeOutcome,
  type MergeRegion,
  type MergeResult,
} from './merge3.js';
export { conflictBlocks, insideBlock, type MarkerBlock } from './markers.js';
