import * as E from 'fp-ts/Either'
import { runEventStoreConformance } from '@ketnap/kernel/conformance'
import { openSqliteEventStore } from './sqliteEventStore'
import { tempDir } from './internal/testing/files'

// Every store the suite asks for is a fresh SQLite file in its own temporary directory, removed afterwards.
runEventStoreConformance('sqlite (real files)', async () => {
  const dir = tempDir()
  const opened = await openSqliteEventStore(dir.file('conformance.db'), { batchSize: 3 })()
  if (E.isLeft(opened)) {
    dir.remove()
    throw new Error(opened.left.message)
  }
  const store = opened.right
  return {
    store,
    // Another connection to the same file, as another process would open.
    reopen: async () => {
      const other = await openSqliteEventStore(dir.file('conformance.db'), { batchSize: 3 })()
      if (E.isLeft(other)) throw new Error(other.left.message)
      return other.right
    },
    cleanup: async () => {
      await store.close()()
      dir.remove()
    },
  }
})
