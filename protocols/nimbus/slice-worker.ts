/** Worker-thread entry of the MT / 2PMT slice solvers: one SliceTask in, one SliceTaskResult out. */
import { parentPort } from 'node:worker_threads'
import { runSliceTask, type SliceTask } from './solver.js'

interface Job { id: number, task: SliceTask }

parentPort?.on('message', (job: Job) => {
  try {
    parentPort?.postMessage({ id: job.id, result: runSliceTask(job.task) })
  } catch (err) {
    parentPort?.postMessage({ id: job.id, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) })
  }
})
