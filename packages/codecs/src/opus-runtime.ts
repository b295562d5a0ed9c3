// The libopus WebAssembly runtime: one instance (one linear memory) shared by any number of Opus encoders
// and decoders. The build is the one shipped by `@evan/opus` (libopus compiled with emscripten as a WASI
// reactor, with a SIMD variant); only its .wasm files are used, through the plain C API below, never the
// package's native addon.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { CodecError } from './errors.js';

/** The part of a `WebAssembly.Memory` used here (the project's lib settings carry no WebAssembly types). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}

interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: unknown };
}

/** The C functions the libopus WASM build exports. Pointers are byte offsets into `memory`. */
export interface OpusWasmExports {
  readonly memory: WasmMemory;
  malloc(size: number): number;
  free(ptr: number): void;
  opus_strerror(code: number): number;
  opus_encoder_get_size(channels: number): number;
  opus_encoder_init(st: number, rate: number, channels: number, application: number): number;
  opus_encode(st: number, pcm: number, frameSize: number, data: number, maxBytes: number): number;
  opus_encoder_ctl_set(st: number, request: number, value: number): number;
  opus_encoder_ctl_get(st: number, request: number): number;
  opus_decoder_get_size(channels: number): number;
  opus_decoder_init(st: number, rate: number, channels: number): number;
  opus_decode(
    st: number,
    data: number,
    len: number,
    pcm: number,
    frameSize: number,
    decodeFec: number,
  ): number;
  opus_decoder_ctl_set(st: number, request: number, value: number): number;
  opus_decoder_ctl_get(st: number, request: number): number;
  _initialize?(): void;
}

/** A loaded libopus instance. Encoders and decoders allocate their state in its memory. */
export class OpusRuntime {
  /** The raw exports, for the codec wrappers. */
  readonly wasm: OpusWasmExports;
  /** Which build was loaded: `'simd'` or `'baseline'`. */
  readonly variant: 'simd' | 'baseline';
  private u8: Uint8Array;
  private i16: Int16Array;

  private constructor(wasm: OpusWasmExports, variant: 'simd' | 'baseline') {
    this.wasm = wasm;
    this.variant = variant;
    this.u8 = new Uint8Array(wasm.memory.buffer);
    this.i16 = new Int16Array(wasm.memory.buffer);
  }

  /** Compiles and instantiates libopus synchronously (SIMD build when the engine supports it). */
  static load(): OpusRuntime {
    const require = createRequire(import.meta.url);
    const api = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
    let lastError: unknown;
    for (const variant of ['simd', 'baseline'] as const) {
      try {
        const file = require.resolve(`@evan/opus/wasm/${variant === 'simd' ? 'simd' : 'opus'}.wasm`);
        const module = new api.Module(readFileSync(file));
        let runtime: OpusRuntime | undefined;
        const instance = new api.Instance(module, {
          wasi_snapshot_preview1: {
            fd_seek: () => 0,
            fd_write: () => 0,
            fd_close: () => 0,
            proc_exit: (code: number) => {
              throw new CodecError('wasm', `libopus called exit(${code})`, 'opus');
            },
          },
          env: { emscripten_notify_memory_growth: () => runtime?.refreshViews() },
        });
        const wasm = instance.exports as unknown as OpusWasmExports;
        wasm._initialize?.();
        runtime = new OpusRuntime(wasm, variant);
        return runtime;
      } catch (err) {
        lastError = err;
      }
    }
    throw new CodecError('wasm', `cannot load the libopus WebAssembly build: ${String(lastError)}`, 'opus');
  }

  /** Bytes of the WASM memory (re-created after the memory grows). */
  get heapU8(): Uint8Array {
    if (this.u8.buffer !== this.wasm.memory.buffer) this.refreshViews();
    return this.u8;
  }

  /** 16-bit view of the WASM memory. */
  get heap16(): Int16Array {
    if (this.i16.buffer !== this.wasm.memory.buffer) this.refreshViews();
    return this.i16;
  }

  /** Allocates `size` bytes, throwing a {@link CodecError} when the memory cannot grow. */
  malloc(size: number): number {
    const ptr = this.wasm.malloc(size);
    if (ptr === 0) throw new CodecError('wasm', `libopus malloc(${size}) failed`, 'opus');
    return ptr;
  }

  /** libopus's message for an error code. */
  errorText(code: number): string {
    const ptr = this.wasm.opus_strerror(code);
    const heap = this.heapU8;
    let end = ptr;
    while (end < heap.length && heap[end] !== 0) end++;
    return new TextDecoder().decode(heap.subarray(ptr, end));
  }

  private refreshViews(): void {
    this.u8 = new Uint8Array(this.wasm.memory.buffer);
    this.i16 = new Int16Array(this.wasm.memory.buffer);
  }
}
