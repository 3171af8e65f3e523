/**
 * Made-up task data for a config, so its labeling screen can be shown (and tried) before any task exists:
 * each object tag's $field gets a value of the kind it shows. Generated here, never fetched: a picture is
 * an inline SVG and a sound a short tone encoded as WAV.
 */
import type { ParsedConfig, TagNode } from "./parse";

const TEXT =
  "Jane Doe flew from Paris to Berlin on Monday to meet the Acme Corp. team. " +
  "The weather was great, and the meeting went better than she expected.";

/** A 640x400 picture with a few shapes to draw regions on. */
export function sampleImage(hue = 200): string {
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="400" viewBox="0 0 640 400">` +
    `<rect width="640" height="400" fill="hsl(${hue},45%,82%)"/>` +
    `<rect y="260" width="640" height="140" fill="hsl(${(hue + 260) % 360},35%,55%)"/>` +
    `<circle cx="520" cy="90" r="48" fill="#f7c948"/>` +
    `<rect x="90" y="170" width="170" height="110" rx="10" fill="#c0392b"/>` +
    `<circle cx="130" cy="290" r="24" fill="#2d3436"/><circle cx="225" cy="290" r="24" fill="#2d3436"/>` +
    `<polygon points="330,280 400,150 470,280" fill="#27ae60"/></svg>`;
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

/** Two seconds of a 440 Hz tone, 8 kHz mono 16-bit WAV, as a data URL. */
export function sampleAudio(): string {
  const rate = 8000;
  const n = rate * 2;
  const bytes = new Uint8Array(44 + n * 2);
  const view = new DataView(bytes.buffer);
  const ascii = (at: number, s: string) => [...s].forEach((c, i) => view.setUint8(at + i, c.charCodeAt(0)));
  ascii(0, "RIFF");
  view.setUint32(4, 36 + n * 2, true);
  ascii(8, "WAVEfmt ");
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, rate, true);
  view.setUint32(28, rate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  ascii(36, "data");
  view.setUint32(40, n * 2, true);
  for (let i = 0; i < n; i++) {
    const fade = Math.min(1, i / 400, (n - i) / 400);
    view.setInt16(44 + i * 2, Math.round(Math.sin((2 * Math.PI * 440 * i) / rate) * 9000 * fade), true);
  }
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return `data:audio/wav;base64,${btoa(bin)}`;
}

function sampleFor(node: TagNode, many: boolean): unknown {
  const a = node.attrs;
  switch (node.tag) {
    case "Image":
      return many ? [sampleImage(200), sampleImage(30)] : sampleImage();
    case "Audio":
    case "AudioPlus":
      return sampleAudio();
    case "HyperText":
      return `<p>${TEXT.replace("Paris", "<b>Paris</b>")}</p><p>See <a href="#">the agenda</a>.</p>`;
    case "Paragraphs":
      return [
        { [a.namekey ?? "author"]: "Ana", [a.textkey ?? "text"]: "Hello! How can I help you today?" },
        { [a.namekey ?? "author"]: "Bo", [a.textkey ?? "text"]: "My order from Paris has not arrived yet." },
      ];
    case "List":
      return [
        { id: "a", title: "First result", body: "Acme Corp. opens a new office in Berlin." },
        { id: "b", title: "Second result", body: "Jane Doe's guide to Paris in spring." },
        { id: "c", title: "Third result", body: "Weather for Monday: sunny, 21°C." },
      ];
    case "Video":
      return undefined; // nothing to make one from; the player says the task has no video
    case "Table":
      return { city: "Paris", country: "France", population: 2102650 };
    default:
      return TEXT; // Text, Header and the rest show text
  }
}

/** Data for every $field the config's objects read (nested fields like $item.image included). */
export function sampleData(config: ParsedConfig): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const node of config.objects) {
    const ref = node.attrs.value ?? node.attrs.valuelist;
    const path = ref?.match(/^\$([\w.]+)$/)?.[1];
    if (!path) continue;
    const value = sampleFor(node, node.attrs.value === undefined);
    if (value === undefined) continue;
    const parts = path.split(".");
    let cur = data;
    for (const p of parts.slice(0, -1)) cur = (cur[p] ??= {}) as Record<string, unknown>;
    cur[parts[parts.length - 1]] ??= value;
  }
  return data;
}
