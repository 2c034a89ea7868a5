// Small real media made with GStreamer for the uploads: a film with sound, a picture,
// a film over 8 MiB (more than one upload piece), and files that are not media.

import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { run } from "./harness.mjs";

const gst = (dir, pipeline) => run("gst-launch-1.0", ["-q", "-e", ...pipeline.split(" ")], undefined, { cwd: dir });

/** Makes (once per folder) and names the test files. */
export function makeMedia(dir) {
  mkdirSync(dir, { recursive: true });
  const film = join(dir, "phim-gioi-thieu.mp4");
  const picture = join(dir, "toan-canh-binh-duong.png");
  const bigFilm = join(dir, "phim-dai.mp4");
  if (!existsSync(film)) {
    gst(
      dir,
      `videotestsrc num-buffers=90 pattern=smpte ! video/x-raw,width=640,height=360,framerate=30/1 ! x264enc speed-preset=ultrafast ! video/x-h264,profile=baseline ! queue ! mux. ` +
        `audiotestsrc num-buffers=130 ! audio/x-raw,rate=44100,channels=2 ! audioconvert ! voaacenc ! queue ! mux. ` +
        `mp4mux name=mux faststart=true ! filesink location=${film}`,
    );
  }
  if (!existsSync(picture)) {
    gst(dir, `videotestsrc num-buffers=1 pattern=ball ! video/x-raw,width=960,height=540 ! pngenc ! filesink location=${picture}`);
  }
  if (!existsSync(bigFilm)) {
    // Noise at a high bitrate: about 13 MB from five seconds.
    gst(
      dir,
      `videotestsrc num-buffers=150 pattern=snow ! video/x-raw,width=1280,height=720,framerate=30/1 ! x264enc speed-preset=ultrafast bitrate=20000 ! mp4mux faststart=true ! filesink location=${bigFilm}`,
    );
  }
  const fakePdf = join(dir, "brochure-gia.pdf");
  writeFileSync(fakePdf, "This is a plain text file, not a PDF.\n");
  const fakeFilm = join(dir, "khong-phai-phim.mp4");
  writeFileSync(fakeFilm, Buffer.alloc(64 * 1024, 7));
  const text = join(dir, "ghi-chu.txt");
  writeFileSync(text, "notes\n");
  return { film, picture, bigFilm, fakePdf, fakeFilm, text };
}
