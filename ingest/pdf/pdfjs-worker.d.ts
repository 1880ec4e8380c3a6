// pdfjs-dist ships no types for its worker half; it is imported for its side effect alone (it
// registers `globalThis.pdfjsWorker`, see extract-pdf-text.ts).
declare module 'pdfjs-dist/legacy/build/pdf.worker.mjs';
