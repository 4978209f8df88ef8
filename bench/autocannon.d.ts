declare module "autocannon" {
  interface Request {
    body?: Buffer | string;
  }
  interface Options {
    url: string;
    connections?: number;
    duration?: number;
    method?: string;
    headers?: Record<string, string>;
    requests?: { setupRequest?: (request: Request) => Request }[];
  }
  interface Result {
    non2xx: number;
    requests: { average: number };
  }
  export default function autocannon(options: Options): Promise<Result>;
}
