/**
 * ToolRL raw JSON: the paper's SFT file rlla_sft.json, a JSON array (or JSONL) of
 * `{instruction, input, output}` — system prompt, dialogue so far, gold assistant turn (already in
 * the ToolRL output format, with a distilled `<think>`).
 */
import { RecordReader, systemUserRow, type RawRecord, type SourceRow } from './records';

/** True when a record has the ToolRL raw shape. */
export function isToolrlRecord(keys: readonly string[]): boolean {
  return keys.includes('instruction') && keys.includes('output');
}

export function convertToolrl(file: string, records: readonly RawRecord[]): SourceRow[] {
  return records.map((rec) => {
    const r: RecordReader = new RecordReader(file, rec);
    const obj = r.object();
    const system = r.string(obj, 'instruction');
    const user = obj.has('input') ? r.string(obj, 'input') : '';
    const groundTruth = r.string(obj, 'output', 'has no ground truth (no "output" string)');
    if (groundTruth.trim() === '') r.fail('has no ground truth ("output" is empty)');
    return systemUserRow(file, rec.row, system, user, groundTruth);
  });
}
