import environment from "./utils/environment";
import { z } from "zod";
const { env } = process;
export class Environment { public SECRET_KEY = environment.SECRET_KEY ?? ""; }
export const db = z.object({ DATABASE_URL: z.string() }).parse(process.env);
export default new Environment();
const x = env[`A_${1}`];
