/**
 * Rewards. The ToolRL reward (spec/REWARD.md): toolrlReward / toolrlRewardBatch, the parser it
 * uses (parseToolCalls), the ground-truth gate for data loaders (checkGroundTruth), and options.
 */
export { toolrlReward, toolrlRewardBatch, rewardBounds, assistantTurn } from './toolrl';
export { parseToolCalls, checkGroundTruth, type ToolCall } from './calls';
export { GroundTruthError, ToolCallParseError, type GroundTruthErrorReason, type ToolCallParseErrorReason } from './errors';
export {
  resolveRewardOptions,
  rewardRanges,
  type RewardOptions,
  type ResolvedRewardOptions,
  type RewardResult,
  type RewardRanges,
  type LengthMode,
  type ScaleMode,
  type Granularity,
  type Matching,
} from './options';
