const KB = 1024;

/** A size for people: "64 KB", "5 MB". */
export function formatBytes(bytes: number): string {
  return bytes >= KB * KB ? `${Math.round((bytes / KB / KB) * 10) / 10} MB` : `${Math.round(bytes / KB)} KB`;
}
