// The contract of a namespace-lock design other than Ceph's (MinIO, JuiceFS, RustFS, Alluxio) as
// a model on the checker's interface: replay, fuzz and check run any design through it, knowing
// nothing of the design. A design file (YAML) names the design, gives its `config:` (nodes,
// clients, resources, the bounded workload each client may issue, the timing constants in
// logical ticks), and, for replay, `steps:` naming actions by the text `describe` gives them.
import type { Model } from '../Model.js';

/** A property as the comparison page and `mdslock models` list it. */
export interface DesignProperty {
  /** As the model's Property is named (`mutual_exclusion`, `no_leaked_entry`, ...). */
  readonly name: string;
  /** The design's promise it checks, in one sentence. */
  readonly description: string;
}

/** A state as replay lists it and expectations read it: a name for each value (`lock /a`, `refcount /a`, `node 1`) and its text. */
export type DesignView = ReadonlyMap<string, string>;

export interface DesignModel<S, A> extends Model<S, A> {
  /** The state in named values, in a fixed order; `expect:` compares against these. */
  view(s: S): DesignView;
}

/** A config the design cannot build: where in `config:` (a key path such as ['clients', 0, 'ops']) and why. */
export class DesignConfigError extends Error {
  constructor(readonly path: readonly (string | number)[], message: string) { super(message); }
}

export interface Design {
  /** The `model:` key of a design file: `minio-nslock`, `minio-dsync`, `juicefs-gateway`, `rustfs-fastlock`, `alluxio-locks`. */
  readonly id: string;
  readonly title: string;
  /** The upstream files the model follows (repository path, and commit where read). */
  readonly sources: readonly string[];
  /** What the design is, in two or three sentences. */
  readonly summary: string;
  /** Where the model simplifies the design, and why. */
  readonly simplifications: readonly string[];
  readonly properties: readonly DesignProperty[];
  /** The model for a file's `config:` mapping (already parsed YAML); throws DesignConfigError. */
  model(config: unknown): DesignModel<unknown, unknown>;
}
