/** toolrl's public API. Everything a user imports comes from here. */
export * from './config';
export { Policy, type GenerateResult, type TrainBatch, type StepMetrics } from './policy';
export { setThreads, runtimeInfo, matmulGflops } from './runtime';
export { modelConfigFromHF, modelConfigToHF, resolveModelConfig } from './model/hf-config';
export { readSafetensorsHeader, type SafetensorsEntry } from './io/safetensors';
export * from './rewards';
export * from './data';
export * from './eval';
