// Resumable uploads (POST /v1/admin/uploads, PATCH chunks with Upload-Offset, finish).
// A chunk cut off by the network, or refused with 409 offset_mismatch, is sent again
// from where the server says it is (`received`), so a large film over fair Wi-Fi
// carries on where it broke off.

import { ApiError, NETWORK_ERROR, askToSignInAgain, csrfHeader } from "./client";
import { createUpload, finishUpload, getUpload, uploadPath } from "./routes";
import type { MediaItem, Upload } from "./types";

/** About 8 MiB per PATCH. */
const CHUNK_BYTES = 8 * 1024 * 1024;
/** Waits between tries after a network failure, in ms; the last one repeats. */
const RETRY_DELAYS = [500, 1000, 2000, 4000, 8000];
/** Tries in a row without progress before giving up (the user can resume). */
const MAX_TRIES = 8;

type UploadState = "starting" | "sending" | "retrying" | "checking" | "done" | "refused" | "failed";

/** Answers after which the upload goes on from where the server is. */
const RESUMABLE = new Set([NETWORK_ERROR, "offset_mismatch", "cut_off"]);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends bytes at `offset`; reports bytes of this chunk on the wire as they go. */
function sendChunk(id: string, offset: number, chunk: Blob, onSent: (bytes: number) => void): Promise<Upload> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("PATCH", uploadPath(id));
    xhr.setRequestHeader("Upload-Offset", String(offset));
    xhr.setRequestHeader("Content-Type", "application/octet-stream");
    xhr.setRequestHeader("Accept", "application/json");
    for (const [name, value] of Object.entries(csrfHeader())) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => onSent(event.loaded);
    xhr.onload = () => {
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(xhr.responseText) as Record<string, unknown>;
      } catch {
        // No JSON body: the status tells.
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(body as unknown as Upload);
      const code = typeof body.error === "string" ? body.error : `http_${xhr.status}`;
      const message = typeof body.message === "string" ? body.message : `HTTP ${xhr.status}`;
      reject(new ApiError(xhr.status, code, message, body));
    };
    const lost = () => reject(new ApiError(0, NETWORK_ERROR, "the connection was lost"));
    xhr.onerror = lost;
    xhr.onabort = lost;
    xhr.ontimeout = lost;
    xhr.send(chunk);
  });
}

/** One file's upload; `run()` starts it or resumes it after a failure. */
export class UploadTask {
  id: string | null = null;
  /** Bytes the server has acknowledged. */
  received = 0;
  /** Bytes of the current chunk on the wire. */
  inFlight = 0;
  state: UploadState = "starting";
  error: ApiError | null = null;
  item: MediaItem | null = null;
  /** Times the connection broke and the upload went on. */
  resumes = 0;

  constructor(
    readonly file: File,
    private readonly changed: () => void,
  ) {}

  get sent(): number {
    return Math.min(this.file.size, this.received + this.inFlight);
  }

  private set(state: UploadState, error: ApiError | null = null): void {
    this.state = state;
    this.error = error;
    this.changed();
  }

  async run(): Promise<MediaItem | null> {
    try {
      if (this.id === null) {
        this.set("starting");
        const upload = await createUpload(this.file.name, this.file.size);
        this.id = upload.id;
        this.received = upload.received;
      } else {
        this.received = (await getUpload(this.id)).received;
      }
      await this.sendAll(this.id);
      this.set("checking");
      this.item = await finishUpload(this.id);
      this.set("done");
      return this.item;
    } catch (cause) {
      const error = cause instanceof ApiError ? cause : new ApiError(0, NETWORK_ERROR, String(cause));
      const refused = error.status >= 400 && error.status < 500 && error.code !== "incomplete";
      if (refused) this.id = null; // the server discarded it
      this.set(refused ? "refused" : "failed", error);
      return null;
    }
  }

  private async sendAll(id: string): Promise<void> {
    let tries = 0;
    while (this.received < this.file.size) {
      const offset = this.received;
      const chunk = this.file.slice(offset, Math.min(this.file.size, offset + CHUNK_BYTES));
      this.set("sending");
      try {
        const upload = await sendChunk(id, offset, chunk, (bytes) => {
          this.inFlight = bytes;
          this.changed();
        });
        this.inFlight = 0;
        this.received = upload.received;
        tries = 0;
      } catch (cause) {
        this.inFlight = 0;
        if (!(cause instanceof ApiError)) throw cause;
        if (cause.code === "offset_mismatch" && typeof cause.body.received === "number") {
          this.received = cause.body.received;
        } else if (cause.status === 401) {
          if (!(await askToSignInAgain(cause))) throw cause;
        } else if (RESUMABLE.has(cause.code) || cause.status >= 500) {
          tries += 1;
          if (tries > MAX_TRIES) throw cause;
          this.resumes += 1;
          this.set("retrying", cause);
          await sleep(RETRY_DELAYS[Math.min(tries, RETRY_DELAYS.length) - 1]);
          this.received = (await this.whereServerIs(id)) ?? this.received;
        } else {
          throw cause;
        }
      }
    }
  }

  /** Asks the server how far it got; null while it cannot be reached. */
  private async whereServerIs(id: string): Promise<number | null> {
    try {
      return (await getUpload(id)).received;
    } catch (cause) {
      if (cause instanceof ApiError && cause.code === NETWORK_ERROR) return null;
      throw cause;
    }
  }
}
