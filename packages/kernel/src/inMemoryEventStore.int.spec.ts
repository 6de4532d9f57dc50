import { runEventStoreConformance } from './conformance'
import { createInMemoryEventStore } from './inMemoryEventStore'

runEventStoreConformance('in-memory', () =>
  Promise.resolve({ store: createInMemoryEventStore({ batchSize: 3 }) }),
)
