import { MemoryQueue } from "../memory-queue.js";
import { queueConformance } from "./queue-conformance.js";

queueConformance("MemoryQueue", async (clock) => new MemoryQueue({ now: clock.read }));
