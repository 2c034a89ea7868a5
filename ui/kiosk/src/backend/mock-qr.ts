/**
 * A QR-looking SVG for the mock backend (the real app sends real codes): the three
 * finder patterns, timing lines and an alignment pattern of a version-3 symbol, with
 * data modules derived from a hash of the text. It is not meant to be decodable.
 */
export function mockQrSvg(text: string): string {
  const n = 29;
  const grid: boolean[][] = Array.from({ length: n }, () => Array<boolean>(n).fill(false));
  const reserved: boolean[][] = Array.from({ length: n }, () => Array<boolean>(n).fill(false));

  const finder = (r0: number, c0: number) => {
    for (let r = -1; r <= 7; r++) {
      for (let c = -1; c <= 7; c++) {
        const rr = r0 + r;
        const cc = c0 + c;
        if (rr < 0 || cc < 0 || rr >= n || cc >= n) continue;
        reserved[rr][cc] = true;
        const ring = Math.max(Math.abs(r - 3), Math.abs(c - 3));
        grid[rr][cc] = ring !== 2 && ring !== 4;
      }
    }
  };
  finder(0, 0);
  finder(0, n - 7);
  finder(n - 7, 0);
  for (let i = 8; i < n - 8; i++) {
    grid[6][i] = grid[i][6] = i % 2 === 0;
    reserved[6][i] = reserved[i][6] = true;
  }
  for (let r = -2; r <= 2; r++) {
    for (let c = -2; c <= 2; c++) {
      const ring = Math.max(Math.abs(r), Math.abs(c));
      grid[22 + r][22 + c] = ring !== 1;
      reserved[22 + r][22 + c] = true;
    }
  }

  let seed = 2166136261;
  for (const ch of text) seed = Math.imul(seed ^ ch.charCodeAt(0), 16777619) >>> 0;
  const rand = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 4294967296;
  };
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) if (!reserved[r][c]) grid[r][c] = rand() < 0.48;
  }

  const q = 4;
  let d = "";
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) if (grid[r][c]) d += `M${c + q} ${r + q}h1v1h-1z`;
  }
  const size = n + 2 * q;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size * 8}" height="${size * 8}" viewBox="0 0 ${size} ${size}">` +
    `<rect width="${size}" height="${size}" fill="#fff"/><path d="${d}" fill="#000"/></svg>`
  );
}
