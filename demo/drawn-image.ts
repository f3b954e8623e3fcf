// Stand-in images for the sandbox (a specimen, a KTP photo, a selfie): a few lines of text drawn on a
// canvas and encoded as PNG or JPEG, so the demo needs no image files and no camera.
export interface DrawnText {
  text: string;
  font: string;
  x: number;
  y: number;
}

export function drawnImage(
  width: number,
  height: number,
  background: string,
  lines: DrawnText[],
  type: 'image/png' | 'image/jpeg' = 'image/png',
): Promise<Blob> {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const g = canvas.getContext('2d')!;
  g.fillStyle = background;
  g.fillRect(0, 0, width, height);
  g.fillStyle = '#0b3d91';
  for (const line of lines) {
    g.font = line.font;
    g.fillText(line.text, line.x, line.y);
  }
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('The image could not be drawn.'))), type, 0.8));
}
