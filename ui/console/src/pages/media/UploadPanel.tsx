// Uploading: drop files or pick them; each shows a real progress bar, goes on by
// itself after a network cut, and a refusal shows the server's reason.

import { useRef, useState } from "preact/hooks";
import { UploadTask } from "../../api/upload";
import { errorTitleKey } from "../../components/ErrorNotice";
import { Icon } from "../../components/Icon";
import { useLang, useT } from "../../i18n";
import { formatBytes } from "../../lib/format";
import { loadLibrary } from "../../lib/library";
import { createStore, useStore } from "../../lib/store";

const ACCEPT = ".png,.jpg,.jpeg,.webp,.svg,.mp4,.webm,.wav,.ogg,.pdf";

// Kept outside the page so uploads keep showing when the person looks elsewhere.
const tasks = createStore<UploadTask[]>([]);

function start(files: FileList | File[], done: () => void): void {
  const added = [...files].map((file) => new UploadTask(file, () => tasks.update((list) => [...list])));
  tasks.update((list) => [...added, ...list]);
  for (const task of added) void run(task, done);
}

async function run(task: UploadTask, done: () => void): Promise<void> {
  if (await task.run()) {
    await loadLibrary(true);
    done();
  }
}

function TaskRow({ task, onDone }: { task: UploadTask; onDone: () => void }) {
  const t = useT();
  const lang = useLang();
  const percent = task.file.size ? Math.floor((task.sent / task.file.size) * 100) : 100;
  const sizes = t("upload.of", { sent: formatBytes(task.sent, lang), size: formatBytes(task.file.size, lang) });
  let status: string;
  switch (task.state) {
    case "starting":
      status = t("upload.starting");
      break;
    case "sending":
      status = `${t("upload.sending", { percent })} · ${sizes}`;
      break;
    case "retrying":
      status = t("upload.retrying", { from: formatBytes(task.received, lang) });
      break;
    case "checking":
      status = t("upload.checking");
      break;
    case "done":
      status = task.resumes ? t("upload.doneResumed", { n: task.resumes }) : t("upload.done");
      break;
    case "refused":
      status = t("upload.refused");
      break;
    case "failed":
      status = t("upload.failed", { from: formatBytes(task.received, lang) });
      break;
  }
  return (
    <li class={`upload-row upload-${task.state}`} data-testid="upload-row" data-state={task.state}>
      <div class="upload-line">
        <span class="upload-name">{task.file.name}</span>
        <span class="upload-size">{formatBytes(task.file.size, lang)}</span>
      </div>
      {task.state !== "done" && (
        <progress class="upload-bar" max={100} value={percent} aria-label={t("upload.progress", { name: task.file.name })} />
      )}
      <div class="upload-status" aria-live="polite">
        <span data-testid="upload-status">{status}</span>
        {task.state === "failed" && (
          <button type="button" class="button small" onClick={() => void run(task, onDone)}>
            {t("upload.resume")}
          </button>
        )}
      </div>
      {task.error && (task.state === "refused" || task.state === "failed" || task.state === "retrying") && (
        <p class={task.state === "retrying" ? "upload-reason muted" : "upload-reason"} data-testid="upload-reason">
          {task.state === "refused" && <strong>{t(errorTitleKey(task.error))} </strong>}
          {task.error.message}
        </p>
      )}
    </li>
  );
}

export function UploadPanel({ onUploaded }: { onUploaded: () => void }) {
  const t = useT();
  const list = useStore(tasks);
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);

  return (
    <section class="card upload-panel" aria-labelledby="upload-title">
      <h2 id="upload-title">{t("upload.title")}</h2>
      <div
        class={over ? "dropzone over" : "dropzone"}
        data-testid="dropzone"
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          if (e.dataTransfer?.files.length) start(e.dataTransfer.files, onUploaded);
        }}
      >
        <Icon name="upload" size={28} />
        <p>{t("upload.drop")}</p>
        <button type="button" class="button primary" onClick={() => input.current?.click()}>
          {t("upload.choose")}
        </button>
        <input
          ref={input}
          id="upload-input"
          class="visually-hidden"
          type="file"
          multiple
          accept={ACCEPT}
          aria-label={t("upload.choose")}
          tabIndex={-1}
          onChange={(e) => {
            const files = e.currentTarget.files;
            if (files?.length) start([...files], onUploaded);
            e.currentTarget.value = "";
          }}
        />
        <p class="hint">{t("upload.kinds")}</p>
      </div>
      {list.some((task) => task.state === "done") && (
        <button
          type="button"
          class="button small ghost clear-done"
          onClick={() => tasks.update((all) => all.filter((task) => task.state !== "done"))}
        >
          {t("upload.clearDone")}
        </button>
      )}
      {list.length > 0 && (
        <ul class="upload-list" aria-label={t("upload.list")}>
          {list.map((task, i) => (
            <TaskRow key={list.length - i} task={task} onDone={onUploaded} />
          ))}
        </ul>
      )}
    </section>
  );
}
