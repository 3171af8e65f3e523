/**
 * The file name in a task's media URL, for the data manager's image column: "/data/upload/3/ab12-rose.png"
 * -> "ab12-rose.png", "/data/local-files/?d=photos/a%20b.jpg" -> "a b.jpg", "s3://bucket/dir/c.png" ->
 * "c.png". Inline data (data: URIs) has no name: "".
 */
function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export function fileName(url: string): string {
  if (!url || url.startsWith("data:")) return "";
  // A local file's path is a query value (which may encode its slashes); other URLs end in the name.
  const local = url.match(/[?&]d=([^&#]*)/);
  const path = local ? decode(local[1].replace(/\+/g, " ")) : url.replace(/[?#].*$/, "");
  const last = path.replace(/\/+$/, "").split("/").pop() ?? "";
  return local ? last : decode(last);
}
