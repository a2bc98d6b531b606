package history

// BulkMin is bulkMin, for the tests of a bulk write.
const BulkMin = bulkMin
