CREATE TABLE "export_contacts" (
	"export_id" uuid NOT NULL,
	"customer_id" text COLLATE "C" NOT NULL,
	"email" text NOT NULL,
	"content_hash" text,
	"contact_id" text,
	"state" text DEFAULT 'member' NOT NULL,
	"pushed_run_id" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "export_contacts_export_id_customer_id_pk" PRIMARY KEY("export_id","customer_id")
);
--> statement-breakpoint
ALTER TABLE "export_runs" ADD COLUMN "full_resync" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "export_runs" ADD COLUMN "confirm_mass_unsubscribe" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "export_runs" ADD COLUMN "added_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "export_runs" ADD COLUMN "updated_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "export_runs" ADD COLUMN "unchanged_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "export_runs" ADD COLUMN "leaver_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "export_runs" ADD COLUMN "unsubscribed_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "run_batches_pending_idx" ON "run_batches" USING btree ("run_id","seq") WHERE "run_batches"."completed_at" is null;