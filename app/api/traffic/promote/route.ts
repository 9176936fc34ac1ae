import { promoteAlias } from "@/lib/data/traffic/changes";
import { mutation } from "../route-helpers";

export const POST = mutation(promoteAlias);
