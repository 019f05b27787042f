ALTER TABLE "run_rejects" ADD COLUMN "email" text;--> statement-breakpoint
ALTER TABLE "run_rejects" ADD COLUMN "field" text;--> statement-breakpoint
ALTER TABLE "run_rejects" ADD COLUMN "value" text;