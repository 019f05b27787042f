CREATE TABLE "source_sync_keys" (
	"sync_id" uuid NOT NULL,
	"customer_id" text COLLATE "C" NOT NULL,
	"kind" text NOT NULL,
	CONSTRAINT "source_sync_keys_sync_id_customer_id_pk" PRIMARY KEY("sync_id","customer_id")
);
--> statement-breakpoint
ALTER TABLE "source_syncs" ADD COLUMN "full_requested" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "source_syncs" ADD COLUMN "change_since" text;--> statement-breakpoint
ALTER TABLE "source_syncs" ADD COLUMN "change_high" text;--> statement-breakpoint
ALTER TABLE "source_syncs" ADD COLUMN "keys_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "sources" ADD COLUMN "change_column" text;--> statement-breakpoint
ALTER TABLE "sources" ADD COLUMN "change_overlap" integer DEFAULT 300 NOT NULL;--> statement-breakpoint
ALTER TABLE "sources" ADD COLUMN "change_watermark" text;--> statement-breakpoint
ALTER TABLE "source_sync_keys" ADD CONSTRAINT "source_sync_keys_sync_id_source_syncs_id_fk" FOREIGN KEY ("sync_id") REFERENCES "public"."source_syncs"("id") ON DELETE cascade ON UPDATE no action;