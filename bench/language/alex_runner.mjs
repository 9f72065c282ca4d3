// Run alex for Attune's benchmarks.
//   node alex_runner.mjs sentences < sentences.json   -> [message count per sentence]
//   node alex_runner.mjs speed FILE CHUNK_CHARS        -> {"seconds", "chars", "messages"}
// In speed mode the text is cut at paragraph breaks into chunks of about CHUNK_CHARS and each
// chunk goes to alex.text() in this one process: alex slows down on very long inputs and pays
// a set-up cost per call, so mid-sized chunks are its fastest use.
import fs from 'node:fs'
import {text} from 'alex'

const mode = process.argv[2]

if (mode === 'sentences') {
  const sentences = JSON.parse(fs.readFileSync(0, 'utf8'))
  const counts = sentences.map((sentence) => text(sentence).messages.length)
  process.stdout.write(JSON.stringify(counts))
} else if (mode === 'speed') {
  const data = fs.readFileSync(process.argv[3], 'utf8')
  const chunkChars = Number(process.argv[4] || 20000)
  const paragraphs = data.split('\n\n')
  const chunks = []
  let current = []
  let size = 0
  for (const paragraph of paragraphs) {
    current.push(paragraph)
    size += paragraph.length + 2
    if (size >= chunkChars) {
      chunks.push(current.join('\n\n'))
      current = []
      size = 0
    }
  }
  if (current.length) chunks.push(current.join('\n\n'))
  const started = performance.now()
  let messages = 0
  for (const chunk of chunks) messages += text(chunk).messages.length
  const seconds = (performance.now() - started) / 1000
  process.stdout.write(JSON.stringify({seconds, chars: data.length, messages, chunks: chunks.length}))
} else {
  process.stderr.write('usage: node alex_runner.mjs sentences|speed FILE [CHUNK_CHARS]\n')
  process.exit(2)
}
