/** Version of the ECCO host ABI an image is built against (manifest field `abi`). */
export const ABI_VERSION = 1
/** The only import module a sealed image may use. */
export const ABI_MODULE = 'ecco'
export const WASM_PAGE = 65536
/** Inbox starts after a small reserved area so that address 0 stays a null pointer. */
export const INBOX_OFFSET = 64

export const DEFAULT_IDLE_WORKERS = 1
export const DEFAULT_WARM_INSTANCES = 0
export const DEFAULT_MAX_WORKERS = 32
export const DEFAULT_WATCHDOG_INTERVAL_MS = 5
/** V8 heap of the worker harness itself; the EF's linear memory is capped separately. */
export const DEFAULT_WORKER_HEAP_MB = 16
export const DEFAULT_BLACKBOARD_WAIT_MS = 1000
export const DEFAULT_MAX_OUTPUT_BYTES = 4 * 1024 * 1024
/** Largest checkpoint accepted by decodeCheckpoint. */
export const MAX_CHECKPOINT_BYTES = 4 * 1024 * 1024
export const MAX_UNIMEM_ENTRIES = 4096
export const MAX_UNIMEM_LIST_ITEMS = 65536
export const MAX_STEPS_PER_CALL = 1_000_000
