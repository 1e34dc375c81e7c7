/**
 * Evaluation (issue 7): BFCL v3 Python categories scored by the official AST rules with the
 * ToolRL harness (prompt, decoder), API-Bank as the ToolRL paper scores it, oracle modes that
 * check the harness with the gold answers, and reports. See ../shared/spec/BFCL.md.
 */
export { bfclCheck, bfclCheckDecoded, type BfclCheckEntry, type BfclVerdict, type DecodedCalls } from './bfclCheck';
export { bfclDecode, bfclDecodePy } from './bfclDecode';
export { bfclStandardizeString } from './bfclChecker';
export {
  BFCL_V3_CATEGORIES, BFCL_V3_COUNTS, bfclFileName, bfclSortKey, loadBfcl, loadBfclCategory,
  type BfclCategory, type BfclCategoryData, type BfclDataset, type BfclEntry, type LoadBfclOptions,
} from './bfclData';
export { BFCL_PYTHON_HINT, TOOLRL_BFCL_SYSTEM_TEMPLATE, bfclPrompt, bfclSystemPrompt, bfclToolList, bfclUserPrompt, toolrlChatml } from './bfclPrompt';
export { bfclOracle, bfclOracleAnswer, type OracleAnswer } from './bfclOracle';
export { runBfcl, type BfclCategoryResult, type BfclItemResult, type BfclRunResult, type RunBfclOptions } from './bfclRunner';
export { BFCL_AGGREGATION_VERSION, summarizeBfcl, type BfclCategoryScore, type BfclScore, type BfclSummary } from './bfclAggregate';
export {
  apiBankGold, apiBankOracle, apiBankScore, apiBankVerdict, loadApiBank, runApiBank,
  type ApiBankItem, type ApiBankItemResult, type ApiBankLevelResult, type ApiBankRunResult, type ApiBankVerdict,
} from './apiBank';
export { policyGenerator, type GeneratingPolicy, type PolicyGeneratorOptions, type PromptTemplate, type TextGenerator, type TextTokenizer } from './generator';
export { formatApiBankTable, formatBfclTable, reportObject } from './report';
