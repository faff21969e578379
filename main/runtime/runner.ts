/**
 * A model runner: anything that takes named tensors and returns named tensors, described by its
 * declared inputs and outputs. The pipeline components (denoiser, cache probe, text encoder, VAE
 * decoder, eval classifier) talk only to this interface, so where a model runs is a detail of
 * how its runner was made:
 *   - OrtRunner (ort-runner.ts): an onnxruntime-node session opened from a file or a buffer;
 *   - a remote runner (Open Inference Protocol) implements the same three members.
 *
 * Tensors cross as HostTensors (host-tensor.ts): typed arrays with dims and an ONNX dtype name,
 * never runtime objects, so nothing above this layer imports onnxruntime.
 */
import type { Provider } from '../../contract/api';
import type { HostTensor, ValueInfo } from './host-tensor';

export interface ModelRunner {
  /** Path relative to the pipeline folder (e.g. 'transformer/model.onnx') or an endpoint; used in every message. */
  readonly label: string;
  /** Where the model runs: the execution provider of a local session, or 'remote' for a server. */
  readonly provider: Provider | 'remote';
  /** The server URL a remote runner calls (absent for a local session). */
  readonly endpoint?: string;
  readonly inputs: readonly ValueInfo[];
  readonly outputs: readonly ValueInfo[];
  /**
   * Runs the model once.
   * @param feeds one tensor per declared input
   * @param outputNames outputs to compute (default: all declared); calibration code may ask for
   *   intermediate outputs a model exports beside its main one, at no cost to normal runs
   * @param signal checked before the run starts; a run already inside the runtime finishes
   * @throws StudioError CANCELLED when `signal` aborted before the run started
   */
  run(feeds: Record<string, HostTensor>, outputNames?: readonly string[], signal?: AbortSignal): Promise<Record<string, HostTensor>>;
  /** Releases the model once queued runs have finished. Idempotent. */
  dispose(): Promise<void>;
}

/** The declared input called `name`, if any. */
export function findInput(runner: Pick<ModelRunner, 'inputs'>, name: string): ValueInfo | undefined {
  return runner.inputs.find((i) => i.name === name);
}

/** The declared output called `name`, if any. */
export function findOutput(runner: Pick<ModelRunner, 'outputs'>, name: string): ValueInfo | undefined {
  return runner.outputs.find((o) => o.name === name);
}

/** "a, b, c" of the declared input names, for messages. */
export function inputNames(runner: Pick<ModelRunner, 'inputs'>): string {
  return runner.inputs.map((i) => i.name).join(', ');
}
