// Test oracle for vigil's AWS policy evaluator: reads a JSON array of
// {"id", "simulation"} (the Simulation shape of @cloud-copilot/iam-simulate)
// on standard input and writes a JSON array of {"id", "result", "error"},
// result being Allowed, ExplicitlyDenied or ImplicitlyDenied.
//
// @cloud-copilot/iam-simulate is AGPL-3.0: it is a test oracle only,
// installed by install.sh into a cache folder (VIGIL_IAM_ORACLE, default
// ~/.cache/vigil/iam-oracle), never committed, linked or shipped.
'use strict'
const path = require('path')
const os = require('os')
const { createRequire } = require('module')

const dir = process.env.VIGIL_IAM_ORACLE || path.join(os.homedir(), '.cache', 'vigil', 'iam-oracle')
const req = createRequire(path.join(dir, 'package.json'))
const { runSimulation } = req('@cloud-copilot/iam-simulate')

async function main() {
  const chunks = []
  for await (const c of process.stdin) chunks.push(c)
  const batch = JSON.parse(Buffer.concat(chunks).toString('utf8'))
  const out = []
  for (const item of batch) {
    try {
      const r = await runSimulation(item.simulation, { simulationMode: 'Strict' })
      if (r.resultType === 'error') {
        out.push({ id: item.id, error: JSON.stringify(r.errors) })
      } else {
        out.push({ id: item.id, result: r.overallResult })
      }
    } catch (e) {
      out.push({ id: item.id, error: String(e && e.message ? e.message : e) })
    }
  }
  process.stdout.write(JSON.stringify(out))
}

main().catch((e) => {
  process.stderr.write(String(e && e.stack ? e.stack : e) + '\n')
  process.exit(1)
})
